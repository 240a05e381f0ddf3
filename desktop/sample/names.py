"""Fictional people and the programme's partner list for the sample database.

Officers' and representatives' names are invented; institutions are those the domain brief
names as partners of "Razem dla bezpieczeństwa".
"""
from __future__ import annotations

FIRST_NAMES_M = [
    "Adam", "Andrzej", "Bartosz", "Damian", "Dariusz", "Grzegorz", "Jacek", "Jakub", "Kamil",
    "Krzysztof", "Łukasz", "Marcin", "Marek", "Mateusz", "Michał", "Paweł", "Piotr", "Przemysław",
    "Rafał", "Robert", "Sebastian", "Szymon", "Tomasz", "Wojciech", "Zbigniew",
]
FIRST_NAMES_F = [
    "Agnieszka", "Anna", "Beata", "Ewa", "Izabela", "Joanna", "Justyna", "Katarzyna", "Magdalena",
    "Małgorzata", "Monika", "Natalia", "Paulina", "Sylwia", "Żaneta",
]
# Surnames: masculine form; feminine derived for -ski/-cki/-dzki.
LAST_NAMES = [
    "Adamczyk", "Bąk", "Baranowski", "Borowiak", "Chmielewski", "Czarnecki", "Dudek", "Głowacki",
    "Górski", "Grabowski", "Jankowski", "Jasiński", "Kaczmarek", "Kowalczyk", "Krawczyk",
    "Kubiak", "Lewandowski", "Łuczak", "Maciejewski", "Michalak", "Nowicki", "Olejniczak",
    "Pawlak", "Przybylski", "Ratajczak", "Sikora", "Sobczak", "Szymański", "Śliwiński",
    "Tomczak", "Walczak", "Wawrzyniak", "Wieczorek", "Wojciechowski", "Zając", "Zieliński",
    "Żak", "Żurawski",
]
RANKS_BEAT = ["sierż. szt.", "mł. asp.", "asp.", "st. asp.", "asp. szt."]
RANKS_TRAFFIC = ["st. sierż.", "sierż. szt.", "mł. asp.", "asp."]


def feminine(surname: str) -> str:
    for suffix in ("ski", "cki", "dzki"):
        if surname.endswith(suffix):
            return surname[:-1] + "a"
    return surname


# (seat gmina, locative used in "Urząd ... w X", name of head's office)
GMINA_OFFICES = {
    "Golina": ("Urząd Miejski w Golinie", "Burmistrz Goliny"),
    "Kleczew": ("Urząd Miejski w Kleczewie", "Burmistrz Kleczewa"),
    "Rychwał": ("Urząd Miejski w Rychwale", "Burmistrz Rychwała"),
    "Sompolno": ("Urząd Miejski w Sompolnie", "Burmistrz Sompolna"),
    "Ślesin": ("Urząd Miasta i Gminy w Ślesinie", "Burmistrz Ślesina"),
    "Grodziec": ("Urząd Gminy Grodziec", "Wójt Gminy Grodziec"),
    "Kazimierz Biskupi": ("Urząd Gminy Kazimierz Biskupi", "Wójt Gminy Kazimierz Biskupi"),
    "Kramsk": ("Urząd Gminy Kramsk", "Wójt Gminy Kramsk"),
    "Krzymów": ("Urząd Gminy Krzymów", "Wójt Gminy Krzymów"),
    "Rzgów": ("Urząd Gminy Rzgów", "Wójt Gminy Rzgów"),
    "Skulsk": ("Urząd Gminy Skulsk", "Wójt Gminy Skulsk"),
    "Stare Miasto": ("Urząd Gminy Stare Miasto", "Wójt Gminy Stare Miasto"),
    "Wierzbinek": ("Urząd Gminy Wierzbinek", "Wójt Gminy Wierzbinek"),
    "Wilczyn": ("Urząd Gminy Wilczyn", "Wójt Gminy Wilczyn"),
}

# Stations of KMP Konin in the sample (komisariaty in the urban-rural gmina seats).
STATIONS = {
    "Golina": "Komisariat Policji w Golinie",
    "Kleczew": "Komisariat Policji w Kleczewie",
    "Rychwał": "Komisariat Policji w Rychwale",
    "Sompolno": "Komisariat Policji w Sompolnie",
    "Ślesin": "Komisariat Policji w Ślesinie",
}

# Other partners: (name, type value, gmina or None for the city, representative function)
OTHER_PARTNERS = [
    ("Szkoła Policji w Pile", "government", None, "Komendant Szkoły"),
    ("Komenda Wojewódzka Policji w Poznaniu", "government", None, "Zastępca Komendanta Wojewódzkiego"),
    ("Państwowa Straż Pożarna – Komenda Miejska w Koninie", "government", None, "Komendant Miejski"),
    ("Państwowa Uczelnia Zawodowa w Koninie", "university", None, "Rektor"),
    ("Szkoła Podstawowa nr 1 w Koninie", "school", None, "Dyrektor"),
    ("Szkoła Podstawowa nr 7 w Koninie", "school", None, "Dyrektor"),
    ("Zespół Szkół Ponadgimnazjalnych nr 1 w Koninie", "school", None, "Dyrektor"),
    ("Przedszkole Miejskie nr 12 w Koninie", "school", None, "Dyrektor"),
    ("Szkoła Podstawowa w Golinie", "school", "Golina", "Dyrektor"),
    ("Zespół Szkół w Kleczewie", "school", "Kleczew", "Dyrektor"),
    ("Przedszkole Samorządowe w Ślesinie", "school", "Ślesin", "Dyrektor"),
    ("Stowarzyszenie „Bezpieczny Konin”", "ngo", None, "Prezes Zarządu"),
    ("Towarzystwo Opieki nad Zwierzętami – oddział w Koninie", "ngo", None, "Prezes"),
    ("Ochotnicza Straż Pożarna w Kramsku", "ngo", "Kramsk", "Prezes"),
    ("Koło Gospodyń Wiejskich w Wilczynie", "ngo", "Wilczyn", "Przewodnicząca"),
    ("Miejski Ośrodek Pomocy Rodzinie w Koninie", "public_institution", None, "Dyrektor"),
    ("Powiatowe Centrum Pomocy Rodzinie w Koninie", "public_institution", None, "Dyrektor"),
    ("Miejski Zarząd Dróg w Koninie", "public_institution", None, "Dyrektor"),
    ("Przedsiębiorstwo Komunikacji Miejskiej w Koninie", "company", None, "Prezes Zarządu"),
]

CATEGORY_WEIGHTS = {
    "Nieprawidłowe parkowanie": 24,
    "Przekraczanie dozwolonej prędkości": 20,
    "Spożywanie alkoholu w miejscach niedozwolonych": 12,
    "Niewłaściwa infrastruktura drogowa": 8,
    "Zła organizacja ruchu drogowego": 5,
    "Grupowanie się małoletnich zagrożonych demoralizacją": 5,
    "Akty wandalizmu": 4,
    "Dzikie wysypiska śmieci": 4,
    "Nielegalne rajdy samochodowe": 3,
    "Wałęsające się bezpańskie psy": 3,
    "Używanie środków odurzających": 2,
    "Poruszanie się po terenach leśnych quadami": 1.5,
    "Niszczenie zieleni": 1.2,
    "Dzikie kąpieliska": 1,
    "Miejsca niebezpieczne na wodach": 0.8,
    "Miejsca niebezpieczne na terenach wodnych": 0.6,
    "Wypalanie traw": 0.8,
    "Zdarzenia drogowe z udziałem zwierząt leśnych": 0.8,
    "Żebractwo": 0.6,
    "Osoba bezdomna wymagająca pomocy": 0.6,
    "Niestrzeżone przejście przez tory": 0.3,
    "Niestrzeżony przejazd kolejowy": 0.3,
    "Nielegalna wycinka drzew": 0.4,
    "Kłusownictwo": 0.3,
    "Znęcanie się nad zwierzętami": 0.4,
    "Miejsce niebezpiecznej działalności rozrywkowej": 0.2,
    "Utonięcia": 0.1,
}

STATUS_WEIGHTS = {
    "Potwierdzone": 40,
    "Niepotwierdzone": 25,
    "Potwierdzone (wyeliminowane)": 18,
    "Potwierdzone (przekazane poza Policję)": 9,
    "Weryfikacja": 3,
    "Nowe": 2,
    "Żart lub pomyłka": 3,
}

DESCRIPTIONS = [
    "", "", "",
    "Zgłoszenie mieszkańca, sytuacja powtarza się wieczorami.",
    "Dotyczy okolic przystanku autobusowego.",
    "Problem nasila się w weekendy.",
    "Samochody parkują na chodniku i trawniku.",
    "Kierowcy przekraczają prędkość przy szkole.",
    "Grupa osób spożywa alkohol przy placu zabaw.",
    "Zgłaszający prosi o częstsze patrole.",
]
