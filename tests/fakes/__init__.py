"""Network-free stand-ins for the services policybot talks to (served on 127.0.0.1), and for its users' questions."""
