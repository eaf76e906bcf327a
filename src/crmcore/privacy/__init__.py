"""Privacy and governance: requests, erasure, consent, retention and access by purpose."""
