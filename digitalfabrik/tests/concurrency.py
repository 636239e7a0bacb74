"""Calls run at the same moment in threads of their own, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(*calls: Callable) -> list:
    """Start every call in its own thread, release them together and wait for them; returns what each
    returned, or the exception it raised, in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(position: int) -> None:
        try:
            barrier.wait(10)
            results[position] = calls[position]()
        except Exception as error:  # noqa: BLE001 - handed to the test, which decides
            results[position] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(position,)) for position in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
