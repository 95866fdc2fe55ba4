import numpy as np
import pytest
from django.utils import timezone

from bro.people.phases import Phase
from bro.settlement import services as settlement_services
from bro.settlement.matching import outcome
from bro.settlement.outcomes.models import OutcomeModelVersion


@pytest.fixture
def outcome_model(db):
    """An active outcome model trained on a small synthetic history (the known generating process)."""
    persons, municipalities, outcomes, truth, _where = outcome.synthetic_history(
        np.random.default_rng(1), 1500
    )
    model, metrics = outcome.train(persons, municipalities, outcomes, true_probability=truth, folds=2)
    return OutcomeModelVersion.objects.create(
        version=model.version,
        trained_at=timezone.now(),
        rows=len(outcomes),
        synthetic_share=1.0,
        sklearn_version="test",
        metrics=metrics,
        model=outcome.serialise(model),
        is_active=True,
    )


@pytest.fixture
def decisions(chain, users):
    """Council decisions for this year: Harstad 10 persons (2 minors), Tromsø 3 persons (no minors)."""
    from bro.core.roles import Role
    from bro.people.services import Actor
    from tests.conftest import make_user

    year = timezone.localdate().year
    harstad = Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    tromso = Actor(make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER))
    for actor, org, persons, minors in ((harstad, chain.harstad, 10, 2), (tromso, chain.tromso, 3, 0)):
        settlement_services.record_decision(
            actor,
            municipality=org,
            year=year,
            persons=persons,
            unaccompanied_minors=minors,
            decided_on=timezone.localdate(),
            body="council",
        )
    return year


@pytest.fixture
def ready(arrive):
    """Three single adults ready for settlement."""
    return [arrive(Phase.READY_FOR_SETTLEMENT, given_name=name) for name in ("Amal", "Bashir", "Chiara")]
