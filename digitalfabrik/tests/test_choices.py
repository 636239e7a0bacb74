"""get_<field>_display from labels built once per field: the same text as Django's, in the active language."""

import pytest
from django.utils import translation

from coaching.models import Case
from companies.models import Company
from programme.choices import Region, Topic


@pytest.mark.parametrize("language", ["de", "en"])
def test_labels_are_those_of_the_choices_in_the_active_language(language):
    case = Case(topic=Topic.AI_DATA)
    company = Company(region=Region.OTHER)
    with translation.override(language):
        assert case.get_topic_display() == str(Topic.AI_DATA.label)
        assert company.get_region_display() == str(Region.OTHER.label)


def test_the_language_is_that_of_the_call_not_of_the_first_use():
    case = Case(topic=Topic.AI_DATA)
    with translation.override("en"):
        english = case.get_topic_display()
    with translation.override("de"):
        german = case.get_topic_display()
    assert english != german


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Case(topic="retired-topic").get_topic_display() == "retired-topic"
