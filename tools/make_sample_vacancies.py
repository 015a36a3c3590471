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

OUTPUT = ROOT / "bot" / "vacancies" / "data" / "sample_vacancies.json"
AS_OF = dt.date(2026, 11, 20)  # `puente start` moves the dates so the newest is today
NOTE = "DATOS DE MUESTRA: vacante ficticia para probar Puente. No es una oferta real."
BORDER_BONUS = 1.4  # 440.87 / 315.04: border-zone pay in border cities

# (state, municipality, weight, northern border city)
CITIES = [
    ("07", "Tapachula", 8, False), ("07", "Tuxtla Gutiérrez", 4, False),
    ("07", "San Cristóbal de las Casas", 2, False), ("07", "Suchiate", 1, False),
    ("02", "Tijuana", 8, True), ("02", "Mexicali", 4, True), ("02", "Ensenada", 2, True),
    ("19", "Monterrey", 8, False), ("19", "Apodaca", 3, False), ("19", "Guadalupe", 2, False),
    ("19", "San Nicolás de los Garza", 2, False),
    ("09", "Iztapalapa", 3, False), ("09", "Cuauhtémoc", 3, False), ("09", "Gustavo A. Madero", 2, False),
    ("09", "Benito Juárez", 2, False), ("09", "Azcapotzalco", 1, False),
    ("14", "Guadalajara", 5, False), ("14", "Zapopan", 3, False), ("14", "Tlaquepaque", 2, False),
    ("23", "Cancún", 5, False), ("23", "Playa del Carmen", 3, False), ("23", "Tulum", 1, False),
    ("05", "Saltillo", 3, False), ("05", "Torreón", 2, False), ("05", "Ramos Arizpe", 2, False),
    ("05", "Piedras Negras", 1, True),
    ("22", "Querétaro", 3, False), ("22", "San Juan del Río", 1, False),
    ("11", "León", 3, False), ("11", "Silao", 2, False), ("11", "Irapuato", 2, False), ("11", "Celaya", 1, False),
    ("24", "San Luis Potosí", 3, False), ("01", "Aguascalientes", 2, False),
    ("08", "Ciudad Juárez", 4, True), ("08", "Chihuahua", 2, False),
    ("26", "Hermosillo", 2, False), ("26", "Nogales", 1, True),
    ("28", "Reynosa", 2, True), ("28", "Matamoros", 1, True), ("28", "Nuevo Laredo", 1, True),
    ("21", "Puebla", 3, False), ("31", "Mérida", 3, False),
    ("30", "Veracruz", 2, False), ("30", "Xalapa", 1, False), ("30", "Coatzacoalcos", 1, False),
    ("15", "Toluca", 2, False), ("15", "Ecatepec", 2, False), ("15", "Naucalpan", 1, False),
    ("15", "Tlalnepantla", 1, False), ("27", "Villahermosa", 2, False),
    ("20", "Oaxaca de Juárez", 1, False), ("20", "Salina Cruz", 1, False), ("16", "Morelia", 1, False),
    ("17", "Cuernavaca", 1, False), ("25", "Culiacán", 1, False), ("25", "Mazatlán", 1, False),
    ("03", "La Paz", 1, False), ("03", "Los Cabos", 1, False), ("12", "Acapulco", 1, False),
    ("13", "Pachuca", 1, False), ("04", "Campeche", 1, False), ("06", "Manzanillo", 1, False),
    ("10", "Durango", 1, False), ("18", "Tepic", 1, False), ("18", "Bahía de Banderas", 1, False),
    ("29", "Tlaxcala", 1, False), ("32", "Zacatecas", 1, False),
]
SURNAMES = [
    "Garza", "Treviño", "Villarreal", "Hernández", "López", "Martínez", "Ramírez", "Cruz", "Morales",
    "Ortiz", "Castillo", "Romero", "Aguilar", "Vargas", "Mendoza", "Salazar", "Guerrero", "Ríos",
    "Navarro", "Delgado", "Cervantes", "Ibarra", "Zamora", "Quintero", "Solís", "Escobedo",
]
PLACES_WORDS = ["del Norte", "del Bajío", "del Pacífico", "del Golfo", "del Sureste", "del Centro", "Regional"]

# trade: weight, states it prefers (None: anywhere), titles, employers, what the work is,
# requirements, schedules, (period, low, high) pay, notes on pay
TRADES: dict[str, dict] = {
    "construction": dict(
        weight=14, states=None,
        titles=["Ayudante de albañil", "Albañil", "Oficial albañil", "Peón de obra", "Ayudante general de obra"],
        employers=["Constructora {s}", "Edificaciones {p}", "Grupo Constructor {s}", "Obras y Vivienda {s}"],
        work=["obra de vivienda", "construcción de bodegas industriales", "remodelación de oficinas",
              "obra negra y acabados", "construcción de un centro comercial"],
        requirements=["Mayor de 18 años. Experiencia en obra (deseable, no indispensable).",
                      "Mayor de 18 años. Saber leer planos básicos es un plus. Botas de seguridad.",
                      "Mayor de 18 años. Buena condición física. Ganas de aprender."],
        schedules=["Lunes a sábado, 8:00 a 16:00", "Lunes a viernes 8:00 a 16:00 y sábado 8:00 a 13:00"],
        pay=[("week", 2300, 3000), ("week", 2800, 4200)],
        extra="Pago semanal en efectivo o tarjeta. Equipo de seguridad incluido.",
    ),
    "agriculture": dict(
        weight=9, states=["07", "25", "26", "14", "16", "02", "30", "11", "32", "24"],
        titles=["Jornalero agrícola", "Cortador de café", "Trabajador de campo", "Cosechador de frutas",
                "Empacador de hortalizas en campo"],
        employers=["Agrícola {s}", "Rancho {s}", "Finca {s}", "Productores Unidos {p}"],
        work=["cosecha de temporada", "corte de café", "cosecha de mango y papaya", "siembra y cosecha de hortalizas",
              "cosecha de aguacate"],
        requirements=["Mayor de 18 años. Experiencia en el campo (deseable).",
                      "Mayor de 18 años. Buena condición física para trabajar al aire libre."],
        schedules=["Lunes a sábado, 6:00 a 14:00", "Lunes a sábado, 7:00 a 15:00"],
        pay=[("day", 350, 450), ("day", 380, 520)],
        extra="Transporte al campo desde el centro del pueblo.",
    ),
    "cleaning": dict(
        weight=10, states=None,
        titles=["Auxiliar de limpieza", "Intendente", "Camarista", "Afanador de hospital", "Lavaplatos"],
        employers=["Servicios de Limpieza {s}", "Hotel {h}", "Mantenimiento Integral {p}", "Plaza Comercial {h}"],
        work=["limpieza de oficinas", "limpieza de habitaciones de hotel", "limpieza de áreas comunes",
              "limpieza de un hospital privado", "lavado de loza en restaurante"],
        requirements=["Mayor de 18 años. No se requiere experiencia.",
                      "Mayor de 18 años. Experiencia en limpieza (deseable). Responsable y puntual."],
        schedules=["Lunes a sábado, 7:00 a 15:00", "Turno vespertino, 13:00 a 20:00, un día de descanso entre semana"],
        pay=[("month", 9600, 11000), ("week", 2300, 2700)],
        extra="Uniforme y prestaciones de ley.",
    ),
    "cooking": dict(
        weight=9, states=None,
        titles=["Cocinero", "Ayudante de cocina", "Cocinera de comida corrida", "Parrillero", "Cocinero de línea"],
        employers=["Restaurante {r}", "Hotel {h}", "Cocina Económica {r}", "Comedor Industrial {s}"],
        work=["cocina de comida mexicana", "cocina de hotel con bufé", "preparación de desayunos y comidas",
              "cocina de mariscos", "comedor para trabajadores de fábrica"],
        requirements=["Mayor de 18 años. Experiencia de 6 meses en cocina.",
                      "Mayor de 18 años. Conocer higiene en el manejo de alimentos. Experiencia deseable.",
                      "Mayor de 18 años. No se requiere experiencia para ayudante."],
        schedules=["Martes a domingo, 9:00 a 17:00", "Turnos de día de 8 horas, un día de descanso"],
        pay=[("week", 2400, 2900), ("month", 11000, 15000)],
        extra="Comida incluida en el turno.",
    ),
    "waiter": dict(
        weight=6, states=None,
        titles=["Mesero", "Mesera", "Garrotero", "Bartender"],
        employers=["Restaurante {r}", "Hotel {h}", "Cafetería {r}", "Marisquería {r}"],
        work=["servicio en restaurante familiar", "servicio en restaurante de hotel", "servicio de barra",
              "servicio en cafetería"],
        requirements=["Mayor de 18 años. Buena presentación y trato amable.",
                      "Mayor de 18 años. Experiencia en servicio (deseable). Inglés básico es un plus."],
        schedules=["Jueves a martes, 12:00 a 20:00", "Turnos de día de 8 horas, un día de descanso"],
        pay=[("week", 2300, 2800)],
        extra="Más propinas.",
    ),
    "factory": dict(
        weight=12, states=["02", "08", "19", "05", "28", "26", "22", "11", "01", "24", "15", "21", "14"],
        titles=["Operador de producción", "Operario general", "Ayudante general", "Ensamblador", "Operador de máquina"],
        employers=["Manufacturas {p}", "Ensambles {s}", "Industrias {p}", "Maquiladora {s}"],
        work=["ensamble de arneses eléctricos", "producción de autopartes", "empaque de productos electrónicos",
              "línea de producción de electrodomésticos", "fabricación de piezas de plástico"],
        requirements=["Mayor de 18 años. Primaria o secundaria terminada. No se requiere experiencia.",
                      "Mayor de 18 años. Disponibilidad para rolar turnos."],
        schedules=["Turno de día: lunes a sábado, 7:00 a 15:00",
                   "Turnos rotativos: de día 8 horas, de noche 7 horas; un día de descanso por semana"],
        pay=[("week", 2500, 3200), ("week", 2700, 3500)],
        extra="Transporte de personal, comedor subsidiado y prestaciones de ley.",
    ),
    "loading": dict(
        weight=6, states=None,
        titles=["Cargador", "Almacenista", "Ayudante de almacén", "Empacador", "Estibador"],
        employers=["Distribuidora {p}", "Centro de Distribución {s}", "Logística {p}", "Abarrotes {s} Mayoreo"],
        work=["carga y descarga de camiones", "surtido de pedidos en almacén", "empaque de mercancía",
              "acomodo de mercancía en bodega"],
        requirements=["Mayor de 18 años. Buena condición física.",
                      "Mayor de 18 años. Saber leer y escribir. Experiencia en almacén (deseable)."],
        schedules=["Lunes a sábado, 8:00 a 16:00", "Turno nocturno, lunes a sábado, 22:00 a 5:00"],
        pay=[("week", 2500, 3100)],
        extra="Prestaciones de ley.",
    ),
    "sales": dict(
        weight=6, states=None,
        titles=["Vendedor de piso", "Cajero", "Cajera de tienda", "Despachador de gasolina", "Promotor de ventas"],
        employers=["Tiendas {s}", "Abarrotes {s}", "Gasolinera {p}", "Mueblería {s}"],
        work=["atención en tienda de autoservicio", "cobro en caja", "venta de muebles y electrodomésticos",
              "despacho de combustible"],
        requirements=["Mayor de 18 años. Secundaria terminada. Facilidad de palabra.",
                      "Mayor de 18 años. Manejo de dinero en caja (deseable)."],
        schedules=["Turnos de día de 8 horas, un día de descanso entre semana", "Lunes a sábado, 9:00 a 17:00"],
        pay=[("month", 9600, 12000), ("week", 2300, 2900)],
        extra="Más comisiones por venta.",
    ),
    "security": dict(
        weight=4, states=None,
        titles=["Guardia de seguridad", "Vigilante", "Velador"],
        employers=["Seguridad Privada {s}", "Protección {p}", "Vigilancia Integral {s}"],
        work=["vigilancia de plaza comercial", "control de acceso en fábrica", "vigilancia nocturna de obra"],
        requirements=["Mayor de 18 años. Secundaria terminada.",
                      "Mayor de 18 años. Experiencia en seguridad (deseable)."],
        schedules=["Lunes a sábado, 7:00 a 15:00", "Turno nocturno, lunes a sábado, 22:00 a 5:00"],
        pay=[("month", 10000, 13000)],
        extra="Uniforme y capacitación pagada.",
    ),
    "domestic": dict(
        weight=4, states=None,
        titles=["Trabajadora del hogar", "Empleada doméstica de entrada por salida", "Trabajadora del hogar de planta"],
        employers=["Familia {s}", "Familia {s} {s2}"],
        work=["limpieza de casa y lavado de ropa", "limpieza y preparación de comida para una familia",
              "apoyo en el hogar y cuidado de mascotas"],
        requirements=["Mayor de 18 años. Referencias de trabajos anteriores (deseable).",
                      "Mayor de 18 años. Saber cocinar es un plus."],
        schedules=["Lunes a viernes, 8:00 a 16:00", "Lunes a sábado, 9:00 a 17:00, entrada por salida"],
        pay=[("week", 2400, 3000)],
        extra="Con alta en el IMSS.",
    ),
    "driver": dict(
        weight=4, states=None,
        titles=["Repartidor en motocicleta", "Chofer repartidor", "Ayudante de chofer"],
        employers=["Distribuidora {p}", "Paquetería {s}", "Agua Purificada {s}"],
        work=["reparto de mercancía a tiendas", "entrega de paquetes en la ciudad", "reparto de garrafones de agua"],
        requirements=["Mayor de 21 años. Licencia de manejo vigente.",
                      "Mayor de 18 años para ayudante. Conocer la ciudad (deseable)."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 2800, 3800)],
        extra="Vehículo de la empresa y gasolina pagada.",
    ),
    "care": dict(
        weight=3, states=None,
        titles=["Cuidadora de adultos mayores", "Niñera", "Cuidador de paciente"],
        employers=["Casa de Reposo {h}", "Estancia Infantil {h}", "Familia {s}"],
        work=["cuidado de adultos mayores en casa de reposo", "cuidado de niños pequeños", "acompañamiento a un paciente en casa"],
        requirements=["Mayor de 21 años. Experiencia en cuidado (deseable). Paciencia y buen trato.",
                      "Mayor de 18 años. Curso de primeros auxilios es un plus."],
        schedules=["Lunes a viernes, 8:00 a 16:00", "Lunes a sábado, 7:00 a 15:00"],
        pay=[("month", 10000, 13000)],
        extra="Prestaciones de ley.",
    ),
    "welding": dict(
        weight=3, states=None,
        titles=["Soldador", "Ayudante de soldador", "Herrero"],
        employers=["Herrería {s}", "Estructuras Metálicas {p}", "Talleres {s}"],
        work=["fabricación de estructuras metálicas", "herrería de puertas y ventanas", "soldadura de tubería"],
        requirements=["Experiencia en soldadura de arco o MIG.", "Mayor de 18 años. Experiencia en herrería (deseable)."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 3200, 4500)],
        extra="Equipo de protección incluido.",
    ),
    "painting": dict(
        weight=2, states=None,
        titles=["Pintor", "Pintor de obra", "Ayudante de pintor"],
        employers=["Acabados {s}", "Constructora {s}", "Pinturas y Acabados {p}"],
        work=["pintura de casas y departamentos", "pintura de naves industriales", "acabados en obra nueva"],
        requirements=["Experiencia en pintura vinílica y esmalte.", "Mayor de 18 años. Ganas de aprender."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 2800, 3600)],
        extra="Pago semanal.",
    ),
    "electrician": dict(
        weight=2, states=None,
        titles=["Electricista", "Ayudante de electricista"],
        employers=["Instalaciones Eléctricas {s}", "Mantenimiento {p}"],
        work=["instalaciones eléctricas en obra", "mantenimiento eléctrico de edificios"],
        requirements=["Experiencia comprobable en instalaciones eléctricas.", "Conocimientos básicos de electricidad."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 3200, 4500)],
        extra="Herramienta proporcionada por la empresa.",
    ),
    "plumbing": dict(
        weight=2, states=None,
        titles=["Plomero", "Ayudante de plomero"],
        employers=["Plomería {s}", "Mantenimiento {p}"],
        work=["instalaciones hidráulicas en vivienda", "mantenimiento de plomería en hoteles"],
        requirements=["Experiencia en instalaciones hidráulicas y sanitarias.", "Mayor de 18 años."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 3000, 4000)],
        extra="Pago semanal.",
    ),
    "carpentry": dict(
        weight=2, states=None,
        titles=["Carpintero", "Ayudante de carpintería", "Carpintero de obra"],
        employers=["Carpintería {s}", "Muebles {s}", "Cimbras {p}"],
        work=["fabricación de muebles de madera", "cimbra para obra", "instalación de cocinas integrales"],
        requirements=["Experiencia en carpintería.", "Mayor de 18 años. Conocer herramienta básica."],
        schedules=["Lunes a sábado, 8:00 a 16:00"],
        pay=[("week", 3000, 4200)],
        extra="Pago semanal.",
    ),
    "mechanic": dict(
        weight=2, states=None,
        titles=["Mecánico automotriz", "Ayudante de mecánico"],
        employers=["Taller Mecánico {s}", "Servicio Automotriz {p}"],
        work=["mantenimiento de autos", "reparación de motores y frenos"],
        requirements=["Experiencia en mecánica automotriz.", "Mayor de 18 años. Ganas de aprender el oficio."],
        schedules=["Lunes a sábado, 9:00 a 17:00"],
        pay=[("week", 3000, 4200)],
        extra="Más comisiones por servicio.",
    ),
    "sewing": dict(
        weight=3, states=["15", "21", "11", "14", "09", "29", "20"],
        titles=["Costurera", "Operadora de costura", "Costurero de overlock"],
        employers=["Confecciones {s}", "Textiles {p}", "Maquila de Ropa {s}"],
        work=["confección de ropa deportiva", "costura de uniformes", "maquila de pantalones de mezclilla"],
        requirements=["Experiencia en máquina recta u overlock.", "Mayor de 18 años."],
        schedules=["Lunes a viernes, 8:00 a 16:00"],
        pay=[("week", 2400, 3200)],
        extra="Pago semanal más bonos de producción.",
    ),
    "baking": dict(
        weight=2, states=None,
        titles=["Panadero", "Ayudante de panadería", "Repostero"],
        employers=["Panadería {s}", "Pastelería {r}"],
        work=["elaboración de pan dulce y bolillo", "elaboración de pasteles"],
        requirements=["Experiencia en panadería (deseable).", "Mayor de 18 años."],
        schedules=["Lunes a sábado, 5:00 a 12:30"],
        pay=[("week", 2500, 3200)],
        extra="Pan incluido.",
    ),
    "butcher": dict(
        weight=1, states=None,
        titles=["Carnicero", "Ayudante de carnicería"],
        employers=["Carnicería {s}", "Carnes Selectas {p}"],
        work=["corte y despacho de carne", "atención en mostrador de carnicería"],
        requirements=["Experiencia en corte de carne (deseable).", "Mayor de 18 años."],
        schedules=["Lunes a sábado, 7:00 a 15:00"],
        pay=[("week", 2600, 3400)],
        extra="Pago semanal.",
    ),
    "forklift": dict(
        weight=2, states=["19", "02", "08", "05", "11", "22", "15", "14"],
        titles=["Montacarguista", "Operador de montacargas"],
        employers=["Centro de Distribución {s}", "Logística {p}"],
        work=["movimiento de tarimas en almacén", "carga de tráileres con montacargas"],
        requirements=["Experiencia comprobable en montacargas.", "Constancia de curso de montacargas (deseable)."],
        schedules=["Turnos rotativos: de día 8 horas, de noche 7 horas"],
        pay=[("week", 3000, 3800)],
        extra="Prestaciones de ley y bono de puntualidad.",
    ),
    "hairdressing": dict(
        weight=1, states=None,
        titles=["Estilista", "Barbero"],
        employers=["Estética {r}", "Barbería {s}"],
        work=["cortes de cabello y tintes", "cortes de cabello y arreglo de barba"],
        requirements=["Experiencia en corte de cabello.", "Mayor de 18 años."],
        schedules=["Martes a domingo, 10:00 a 18:00"],
        pay=[("week", 2400, 3500)],
        extra="Más comisión por servicio.",
    ),
    "gardening": dict(
        weight=1, states=None,
        titles=["Jardinero", "Ayudante de jardinería"],
        employers=["Jardines {s}", "Hotel {h}", "Fraccionamiento {h}"],
        work=["mantenimiento de jardines", "poda y riego de áreas verdes"],
        requirements=["Experiencia en jardinería (deseable).", "Mayor de 18 años."],
        schedules=["Lunes a sábado, 7:00 a 15:00"],
        pay=[("week", 2400, 3000)],
        extra="Uniforme incluido.",
    ),
    "office": dict(
        weight=3, states=["09", "19", "14", "02", "22", "21", "31"],
        titles=["Agente de call center bilingüe", "Recepcionista", "Auxiliar administrativo", "Capturista de datos"],
        employers=["Contact Center {p}", "Servicios Administrativos {s}", "Hotel {h}"],
        work=["atención telefónica a clientes en inglés", "recepción y atención a clientes", "captura de datos y archivo"],
        requirements=["Inglés o francés conversacional para call center. Secundaria terminada.",
                      "Preparatoria terminada. Manejo básico de computadora."],
        schedules=["Lunes a viernes, 9:00 a 17:00", "Turnos de día de 8 horas, dos días de descanso"],
        pay=[("month", 10000, 13000), ("month", 12000, 16000)],
        extra="Capacitación pagada y prestaciones de ley.",
    ),
    "livestock": dict(
        weight=1, states=["08", "26", "10", "05", "28", "30", "14"],
        titles=["Vaquero", "Ordeñador", "Trabajador de rancho"],
        employers=["Rancho {s}", "Ganadera {p}"],
        work=["cuidado de ganado", "ordeña y limpieza de corrales"],
        requirements=["Experiencia con ganado.", "Mayor de 18 años."],
        schedules=["Lunes a sábado, 5:30 a 13:00"],
        pay=[("day", 350, 450)],
        extra="Vivienda en el rancho (opcional).",
    ),
    "fishing": dict(
        weight=1, states=["25", "03", "02", "26", "30", "04", "31", "12"],
        titles=["Ayudante de pescador", "Trabajador de planta pesquera"],
        employers=["Cooperativa Pesquera {s}", "Pescados y Mariscos {p}"],
        work=["pesca en embarcación menor", "limpieza y empaque de pescado"],
        requirements=["Saber nadar. Mayor de 18 años.", "Mayor de 18 años. No se requiere experiencia."],
        schedules=["Según temporada, lunes a sábado, 5:00 a 12:30", "Lunes a sábado, 6:00 a 14:00"],
        pay=[("day", 400, 550)],
        extra="Pago por día trabajado.",
    ),
}
RESTAURANTS = ["La Fonda de Doña Lupe", "El Fogón Norteño", "Los Compadres", "La Cocina de Mary", "El Güero",
               "Sabor Jarocho", "La Palapa", "El Buen Taco", "Doña Chela", "La Terraza"]
HOTELS = ["Costa Turquesa", "Arena Blanca", "Sol Caribe", "Los Álamos", "Jardín Real", "Vista Hermosa",
          "Las Palmas", "Brisa Marina"]
# Places the README's examples name: the sample always has these.
ANCHORS = [("construction", "19", "Monterrey"), ("construction", "02", "Tijuana"),
           ("cooking", "14", "Guadalajara"), ("cooking", "23", "Cancún")]


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
