"""The local news site (news_site.py) as a fixture, fresh for each test."""

from __future__ import annotations

import pytest

from news_site import start


@pytest.fixture
def site():
    """The news site on 127.0.0.1; a test may change its routes; stopped after the test."""
    state, server, thread = start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()
