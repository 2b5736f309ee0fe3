"""Mail: a Gmail-like app (UI + Gmail API v1 subset) over the shared core."""
