"""The reliability suite's ledger (bench/chaos/ledger.py) tells a late reply from a lost one and a
message sent twice from a turn whose messages came over two attempts, on hand-made timelines."""

from __future__ import annotations

from bench.chaos.harness import Arrival
from bench.chaos.ledger import Attempt, Ledger, Update

ANA, BEA = "whatsapp:+5215550000001", "whatsapp:+5215550000002"


def update(key: str, external_id: str, *attempts: tuple[float, float, int]) -> Update:
    return Update(key, external_id, [Attempt(started, ended, status) for started, ended, status in attempts])


def test_a_late_reply_recorded_for_its_turn_is_late_not_lost_nor_given_to_the_next_turn() -> None:
    first = update(ANA, "SMin1", (0.0, 0.5, 200))
    second = update(ANA, "SMin2", (2.0, 2.4, 200))
    ledger = Ledger([first, second])
    # The first turn's reply reached Twilio 50 s later (its send was cut and looked for), after
    # the second turn's own reply.
    arrivals = [Arrival(2.3, ANA, "SMout2", '["dos"]'), Arrival(50.0, ANA, "SMout1", '["uno"]')]
    ledger.attribute(arrivals, {"SMout1": "SMin1", "SMout2": "SMin2"})
    found = ledger.tally({"SMin1", "SMin2"})
    assert (found["stored_never_answered"], found["answered_late"], found["duplicate_replies"]) == (0, 1, 0)
    assert found["latest_s"] == 49.5
    # Without knowing which turn a reply was for, it would go to the person's latest update.
    ledger.attribute(arrivals, {})
    assert ledger.tally({"SMin1", "SMin2"})["stored_never_answered"] == 1


def test_a_message_sent_again_is_a_duplicate_a_turn_split_over_two_attempts_is_not() -> None:
    doubled = update(ANA, "SMin1", (0.0, 0.5, 200))
    split = update(BEA, "SMin2", (0.0, 0.3, 503), (0.6, 0.9, 200))
    ledger = Ledger([doubled, split])
    ledger.attribute([
        Arrival(0.4, ANA, "SMa", '["pregunta"]'),       # its sender died: never recorded
        Arrival(50.0, ANA, "SMb", '["pregunta"]'),      # the same message sent again, recorded
        Arrival(0.2, BEA, "SMc", '["primero"]'),        # before the database failed: 503
        Arrival(0.8, BEA, "SMd", '["segundo"]'),        # the rest, on the redelivery
    ], {"SMb": "SMin1", "SMc": "SMin2", "SMd": "SMin2"})
    found = ledger.tally({"SMin1", "SMin2"})
    assert found["duplicate_replies"] == 1
    assert found["answered_over_attempts"] == 1
    assert (found["stored_never_answered"], found["acknowledged_then_lost"]) == (0, 0)


def test_the_same_question_in_a_later_turn_is_not_a_duplicate() -> None:
    first = update(ANA, "SMin1", (0.0, 0.5, 200))
    again = update(ANA, "SMin2", (2.0, 2.5, 200))
    ledger = Ledger([first, again])
    ledger.attribute([Arrival(0.4, ANA, "SMa", '["¿En qué estado vives?"]'),
                      Arrival(2.4, ANA, "SMb", '["¿En qué estado vives?"]')],  # its record failed
                     {"SMa": "SMin1"})
    assert ledger.tally({"SMin1", "SMin2"})["duplicate_replies"] == 0


def test_an_acknowledged_update_never_stored_is_lost() -> None:
    ledger = Ledger([update(ANA, "SMin1", (0.0, 0.5, 200)), update(BEA, "SMin2", (0.0, 0.5, 503))])
    ledger.attribute([], {})
    found = ledger.tally(set())
    assert (found["acknowledged_then_lost"], found["stored_never_answered"]) == (1, 0)
