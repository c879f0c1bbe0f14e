"""AVG/GDPR duties: lawful basis, informing, access requests, erasure, retention, record of processing."""
