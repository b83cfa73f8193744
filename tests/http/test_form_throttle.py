"""The public forms' limiter tells a person the wait in whole minutes, never "0 minutes"."""

import pytest

from glossary.http import form_throttle


@pytest.mark.parametrize(
    ("seconds", "minutes"), [(1, 1), (59, 1), (60, 1), (61, 2), (3599, 60), (3600, 60)]
)
def test_a_wait_is_told_in_whole_minutes_rounded_up(seconds, minutes):
    assert form_throttle.in_minutes(seconds) == minutes
