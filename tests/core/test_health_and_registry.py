import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.backends.utils import CursorWrapper

from bro.core.models import Municipality
from bro.core.municipalities import municipality_by_number


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    def broken(self, sql, params=None):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    status = client.get("/healthz").status_code
    monkeypatch.undo()  # the test database's own teardown needs a working cursor
    assert status == 503


def test_the_registry_holds_every_municipality_for_2020_and_2024(db):
    """356 municipalities 2020–2023, 357 from 2024 (Haram split from Ålesund; new county numbers)."""
    assert Municipality.objects.valid_on(datetime.date(2022, 6, 1)).count() == 356
    assert Municipality.objects.valid_on(datetime.date(2024, 6, 1)).count() == 357
    assert municipality_by_number("0301").name == "Oslo"


def test_a_renumbered_municipality_keeps_its_history_readable(db):
    """The 2024 reform gave Harstad 5503 (was 5402 in Troms og Finnmark)."""
    old = municipality_by_number("5402", on=datetime.date(2022, 1, 1))
    assert old.name.startswith("Harstad") and old.county_number == "54"
    assert [m.number for m in old.successors.all()] == ["5503"]
    with pytest.raises(ValidationError):
        municipality_by_number("5402", on=datetime.date(2025, 1, 1))
    alesund = Municipality.objects.get(number="1507")
    assert sorted(m.number for m in alesund.successors.all()) == ["1508", "1580"]


@pytest.mark.parametrize("number", ["9999", "", "abcd", "030"])
def test_an_unknown_municipality_number_is_a_clear_error(db, number):
    with pytest.raises(ValidationError) as caught:
        municipality_by_number(number)
    assert caught.value.code == "unknown_municipality"
