"""The answering side of policybot: from a question to a checked, cited reply, and its front doors."""
