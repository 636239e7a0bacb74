import pytest

from programme import events


@pytest.fixture
def received():
    seen = []

    def handler(name, **payload):
        seen.append((name, payload))

    events.declare("test.happened")
    events.subscribe(handler)
    yield seen
    events.unsubscribe(handler)


def test_a_subscriber_gets_each_published_event_with_its_payload(received):
    events.publish("test.happened", thing=1)
    assert received == [("test.happened", {"thing": 1})]


def test_subscribing_twice_delivers_once(received):
    events.subscribe(events._subscribers[-1])
    events.publish("test.happened")
    assert len(received) == 1


def test_an_undeclared_name_is_refused(received):
    with pytest.raises(ValueError, match="unknown event"):
        events.publish("test.typo")
    assert received == []
