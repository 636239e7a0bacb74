"""Query helpers shared by the apps' selectors."""

from django.db.models import Case, CharField, F, Lookup, Value, When


def choice_label(field: str, choices) -> Case:
    """The display label of ``field``'s value in the active language, computed by the database.

    For list pages: ``get_<field>_display()`` costs a few dozen translation look-ups per row.
    """
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices]
    return Case(*whens, default=F(field), output_field=CharField())


class AnyOf(Lookup):
    """``AnyOf(F("pk"), subquery)``: the value is one of the subquery's, as ``pk__in=subquery``, but on
    PostgreSQL written ``= ANY(ARRAY(subquery))``. The planner reads that from an index like a list of
    values, so "own or added" (``Q(coach=user) | AnyOf(F("pk"), added)``) becomes two index scans
    joined, where ``IN (subquery)`` inside an OR scans the whole table (a coach's open cases at 50 k
    cases: 5.8 -> 2.6 ms). SQLite (make run) gets the plain IN."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection, template="{lhs} IN {rhs}"):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return template.format(lhs=lhs, rhs=rhs), (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="{lhs} = ANY(ARRAY{rhs})")
