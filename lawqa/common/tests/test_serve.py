"""manage.py serve's restart pauses: doubling while a child keeps dying, reset once it ran a while.
(The supervisor restarting a real killed child is in test_faults.py.)"""

from lawqa.common.management.commands.serve import BACKOFF_MAX, STABLE_AFTER, Child


def test_child_crashing_at_once_waits_longer_each_time_up_to_the_cap():
    child = Child("indexer", ["true"])
    pauses = []
    for _ in range(9):
        child.started_at = 100.0
        pauses.append(child.schedule_restart(100.5))

    assert pauses == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, BACKOFF_MAX, BACKOFF_MAX, BACKOFF_MAX]


def test_child_that_ran_a_while_restarts_after_the_shortest_pause():
    child = Child("worker", ["true"], backoff=32.0)
    child.started_at = 100.0

    assert child.schedule_restart(100.0 + STABLE_AFTER) == 1.0
