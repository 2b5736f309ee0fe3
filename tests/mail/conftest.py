"""Mail fixtures on the shared sandbox: the official Gmail API client pointed at a fresh world."""

from __future__ import annotations

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build


@pytest.fixture
def gmail(world):
    """google-api-python-client's Gmail v1 service (static discovery) on the mail app of the test's world."""
    return build("gmail", "v1", static_discovery=True, credentials=Credentials("any-token"),
                 client_options={"api_endpoint": world.api_url("mail") + "/"})
