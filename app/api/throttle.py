"""Wrong-token throttling: after ``limit`` wrong tokens within ``window`` seconds, a client gets 429.

Kept in memory, per process, on purpose: the point is to make online guessing slow, and a restart (which forgets
the counts) is rare and visible; a shared store would add a dependency for no real gain. Several processes
each allow ``limit`` — still far too few guesses for a random token.

Clients are told apart by the connection's address (``scope["client"]``). Behind a reverse proxy every request
comes from the proxy, so one person's typos would lock out the whole office: with ``BIGAN_PROXY_HEADERS`` on,
uvicorn's proxy middleware has already replaced that address with the X-Forwarded-For client, and only then.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.types import Scope

from app.api.errors import ApiError

# A flood of guesses from ever new addresses must not grow memory without bound; past this many clients the
# stalest entries go first (an attacker with that many addresses is not stopped by a per-address count anyway).
MAX_CLIENTS = 10_000


class AttemptThrottle:
    """Counts wrong tokens per client over a sliding window; safe to share between threads (sync dependencies
    run in the thread pool)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Whole seconds until ``client`` may try a token again, or None when it may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if failures is None or len(failures) < self.limit:
                return None
            # The oldest of the last ``limit`` failures has to age out before the count drops below the limit.
            return max(1, math.ceil(failures[0] + self.window - now))

    def failed(self, client: str) -> None:
        """Record a wrong token from ``client``."""
        with self._lock:
            now = self._clock()
            failures = self._recent(client, now)
            if failures is None:
                if len(self._failures) >= MAX_CLIENTS:
                    self._forget_stale(now)
                # Only the last ``limit`` failures matter: a client at the limit is refused before it can add more.
                failures = self._failures.setdefault(client, deque(maxlen=self.limit))
            failures.append(now)

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def _forget_stale(self, now: float) -> None:
        for client in [c for c, f in self._failures.items() if f[-1] <= now - self.window]:
            del self._failures[client]
        while len(self._failures) >= MAX_CLIENTS:  # still full of live entries: drop the longest-known
            del self._failures[next(iter(self._failures))]


def client_address(scope: Scope) -> str:
    """The address attempts are counted against (see the module docstring for proxies)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def too_many_attempts(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "too_many_attempts",
        f"错误的访问令牌次数过多，请 {retry_after} 秒后再试 / "
        f"too many wrong tokens from this address: try again in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )
