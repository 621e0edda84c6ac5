"""From a question to a checked, cited answer: retrieval, the offline and generated answerers, checks."""
