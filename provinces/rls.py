"""The province rule of scope.py again, in PostgreSQL row-level security (defence in depth).

The middleware sets two settings on the database session, `portal.read_provinces` and
`portal.write_provinces`: empty (not in a request) or "*" for every province, else a list of
ids ("0" is "no province"). Each table that belongs to a province gets policies that test them,
directly (`province_id`) or through the row it hangs from (`plan_id` → plans_plan, whose own
policy then applies). A superuser role bypasses row-level security, so production connects as
an ordinary role that owns the tables (docs/deploy.md); the tables FORCE it on their owner too.

Migrations call `enable(...)` through RunSQL; elsewhere (SQLite) they do nothing.
"""

from __future__ import annotations

from django.db import migrations

# CASE, not OR: SQL does not promise to stop at the first true operand, and "*" is no number.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION portal_reads(province bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN province IS NULL THEN true
    WHEN coalesce(current_setting('portal.read_provinces', true), '') IN ('', '*') THEN true
    ELSE province = ANY (
      string_to_array(current_setting('portal.read_provinces', true), ',')::bigint[])
  END
$$;
CREATE OR REPLACE FUNCTION portal_writes(province bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN coalesce(current_setting('portal.write_provinces', true), '') IN ('', '*') THEN true
    ELSE coalesce(province, 0) = ANY (
      string_to_array(current_setting('portal.write_provinces', true), ',')::bigint[])
  END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS portal_reads(bigint);
DROP FUNCTION IF EXISTS portal_writes(bigint);
"""


def _policies(table: str, reads: str, writes: str) -> str:
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY province_read ON {table} FOR SELECT USING ({reads});
CREATE POLICY province_insert ON {table} FOR INSERT WITH CHECK ({writes});
CREATE POLICY province_update ON {table} FOR UPDATE USING ({writes}) WITH CHECK ({writes});
CREATE POLICY province_delete ON {table} FOR DELETE USING ({writes});
"""


def _drop(table: str) -> str:
    return f"""
DROP POLICY IF EXISTS province_read ON {table};
DROP POLICY IF EXISTS province_insert ON {table};
DROP POLICY IF EXISTS province_update ON {table};
DROP POLICY IF EXISTS province_delete ON {table};
ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
"""


def owned(table: str) -> tuple[str, str]:
    """A table with its own province_id (plans_plan, plans_agency)."""
    return table, _policies(table, "portal_reads(province_id)", "portal_writes(province_id)")


def under_plan(table: str) -> tuple[str, str]:
    """A table of rows that belong to a plan: the plan's province decides."""
    return table, _policies(
        table,
        "plan_id IN (SELECT id FROM plans_plan)",
        "plan_id IN (SELECT id FROM plans_plan WHERE portal_writes(province_id))",
    )


def read_through(table: str, column: str, parent: str) -> tuple[str, str]:
    """A table readable when its parent row is (a submission through its agency, a task report
    through its submission). Who may change it is the workflow's rule (reports/access.py): a
    ministry reviewer accepts a province's report in the national round."""
    reads = f"{column} IN (SELECT id FROM {parent})"
    return table, _policies(table, reads, reads)


def enable(*tables: tuple[str, str], functions: bool = False) -> migrations.RunPython:
    forward = (FUNCTIONS if functions else "") + "".join(sql for _, sql in tables)
    backward = "".join(_drop(table) for table, _ in tables) + (DROP_FUNCTIONS if functions else "")

    def run(sql):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forward), run(backward), elidable=False)
