"""Retry a flaky call with exponential backoff."""
import time


def retry_with_backoff(call, attempts=5, base_delay=0.1):
    """Call `call` until it succeeds, doubling the delay after each failure."""
    delay = base_delay
    for attempt in range(attempts):
        try:
            return call()
        except ConnectionError:
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay *= 2
