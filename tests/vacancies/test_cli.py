"""`puente vacancies ...` as staff run it: import a file and see it in search at once, export,
reports, and alerts refusing to run without a channel."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.commands import puente

OFFER = ("source,external_id,title,employer,state,municipality,salary_min,salary_max,salary_period,"
         "how_to_apply,documents\n"
         "sne-bc,T-1,Soldador de estructuras,Herrería del Norte,02,Tijuana,4000,5200,week,"
         "Ven a la nave industrial,tvrh\n"
         "sne-bc,T-2,Cocinero,Fonda,Atlántida,,,,,Ven,\n")


def test_a_staff_member_imports_a_file_and_finds_it_at_once(tmp_path: Path, database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    offers = tmp_path / "tijuana.csv"
    offers.write_text(OFFER, encoding="utf-8")
    result = puente("vacancies", "import", str(offers), cwd=tmp_path, env=env)
    assert result.returncode == 1  # one row had an error
    assert f"{offers}: error: line 3: state: use the INEGI code" in result.stderr
    assert "2 row(s): 1 new, 0 updated, 1 with errors" in result.stdout
    found = puente("vacancies", "search", "soldador en Tijuana", cwd=tmp_path, env=env)
    assert "Soldador de estructuras — Herrería del Norte — Tijuana, Baja California" in found.stdout
    assert "[sne-bc:T-1]" in found.stdout
    creole = puente("vacancies", "search", "soudè Tijuana", "--lang", "ht", cwd=tmp_path, env=env)
    assert "Soldador de estructuras" in creole.stdout

    exported = tmp_path / "out.json"
    result = puente("vacancies", "export", "--output", str(exported), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    records = json.loads(exported.read_text(encoding="utf-8"))
    assert [(r["external_id"], r["salary_min"], r["documents"]) for r in records] == [("T-1", 4000, ["tvrh"])]
    again = puente("vacancies", "import", str(exported), cwd=tmp_path, env=env)
    assert "1 row(s): 0 new, 1 updated, 0 with errors" in again.stdout


def test_no_reports_yet_and_no_channel_for_alerts(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    assert "no vacancy has been reported" in puente("vacancies", "flags", cwd=tmp_path, env=env).stdout
    alerts = puente("vacancies", "alerts", cwd=tmp_path, env=env)
    assert alerts.returncode == 2
    assert "no notifier is configured" in alerts.stderr
    missing = puente("vacancies", "import", "nothing.csv", cwd=tmp_path, env=env)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_the_sample_loads_once_and_is_marked(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    result = puente("vacancies", "sample", cwd=tmp_path, env=env)
    assert "320 new" in result.stdout
    exported = json.loads(puente("vacancies", "export", "--current", cwd=tmp_path, env=env).stdout)
    assert len(exported) == 320
    assert all(r["source"] == "sample" and r["note"].startswith("DATOS DE MUESTRA") for r in exported)
    assert len({r["state"] for r in exported}) == 32
