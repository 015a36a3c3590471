"""Developer tool: write the sample vacancies `puente start` loads into an empty database.

    python tools/make_sample_vacancies.py              # bot/vacancies/data/sample_vacancies.json
    python tools/make_sample_vacancies.py --count 100000 --output big.json   # for bench/

Every record is fictional and says so (source "sample", a note). Employers are invented names;
e-mail addresses use the reserved .example domain. Pay is at or above the 2026 minimum wage
($315.04 a day; $440.87 in the northern border free zone, used here for border cities).
Hours keep to what the bot itself says (rights.hours): at most 8 a day (7 at night, 7.5 mixed)
and 48 a week. Documents are those that allow paid work (rights.documents): never the COMAR
constancia, which protects from deportation but is not a work document.
The same seed always writes the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.occupations import Occupations  # noqa: E402
from tools.sample_vacancy_data import ANCHORS, CITIES, HOTELS, PLACES_WORDS, RESTAURANTS, SURNAMES, TRADES  # noqa: E402

OUTPUT = ROOT / "bot" / "vacancies" / "data" / "sample_vacancies.json"
AS_OF = dt.date(2026, 11, 20)  # `puente start` moves the dates so the newest is today
NOTE = "DATOS DE MUESTRA: vacante ficticia para probar Puente. No es una oferta real."
BORDER_BONUS = 1.4  # 440.87 / 315.04: border-zone pay in border cities


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())[:40]


def employer_name(rng: random.Random, spec: dict) -> str:
    pattern = rng.choice(spec["employers"])
    return pattern.format(s=rng.choice(SURNAMES), s2=rng.choice(SURNAMES), p=rng.choice(PLACES_WORDS),
                          r=rng.choice(RESTAURANTS), h=rng.choice(HOTELS))


def documents(rng: random.Random, state: str) -> list[str]:
    if rng.random() < 0.3:
        return []  # the offer does not say
    found = ["tvrh", "permanent_resident"]
    if rng.random() < 0.7:
        found.append("temporary_resident")
    # The draw that once added the COMAR constancia (not a work document) stays: the same seed
    # keeps writing the same offers.
    rng.random()
    if state in ("07", "27", "04", "23") and rng.random() < 0.5:
        found.append("border_worker")
    return found


def rounded(value: float, step: int) -> int:
    return int(round(value / step) * step)


def vacancy(rng: random.Random, number: int, trade_id: str, state: str, city: str, border: bool,
            occupations: Occupations) -> dict:
    spec = TRADES[trade_id]
    title = rng.choice(spec["titles"])
    employer = employer_name(rng, spec)
    work = rng.choice(spec["work"])
    period, low, high = rng.choice(spec["pay"])
    bonus = BORDER_BONUS if border else 1.0
    step = 10 if period == "day" else 100
    salary_min = rounded(low * bonus * rng.uniform(1.0, 1.12), step)
    salary_max = max(salary_min, rounded(high * bonus * rng.uniform(0.95, 1.1), step))
    published = AS_OF - dt.timedelta(days=rng.randint(0, 20))
    return {
        "source": "sample",
        "external_id": f"sample-{number:04d}",
        "title": title,
        "employer": employer,
        "description": f"{employer} busca {title.lower()} para {work} en {city}. {spec['extra']}",
        "state": state,
        "municipality": city,
        "sinco": occupations.trades[trade_id].sinco,
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_period": period,
        "schedule": rng.choice(spec["schedules"]),
        "requirements": rng.choice(spec["requirements"]),
        "documents": documents(rng, state),
        "how_to_apply": (f"Escribe a vacantes@{slug(employer)}.example con el asunto «{title}», "
                         "o preséntate con tu documento migratorio y tu CURP. "
                         "(Dato de muestra: este correo no existe.)"),
        "note": NOTE,
        "published_on": published.isoformat(),
        "expires_on": (published + dt.timedelta(days=rng.choice((30, 45, 60)))).isoformat(),
    }


def generate(count: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    occupations = Occupations.load()
    trade_ids = list(TRADES)
    trade_weights = [TRADES[t]["weight"] for t in trade_ids]
    records = []
    for number in range(1, count + 1):
        if number <= len(ANCHORS) * 3:
            trade_id, state, city = ANCHORS[(number - 1) % len(ANCHORS)]
            border = any(c[0] == state and c[1] == city and c[3] for c in CITIES)
        else:
            trade_id = rng.choices(trade_ids, trade_weights)[0]
            allowed = TRADES[trade_id]["states"]
            cities = [c for c in CITIES if allowed is None or c[0] in allowed]
            state, city, _, border = rng.choices(cities, [c[2] for c in cities])[0]
        records.append(vacancy(rng, number, trade_id, state, city, border, occupations))
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    records = generate(args.count, args.seed)
    with args.output.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for i, record in enumerate(records):
            out.write("  " + json.dumps(record, ensure_ascii=False) + (",\n" if i < len(records) - 1 else "\n"))
        out.write("]\n")
    print(f"wrote {len(records)} sample vacancies to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
