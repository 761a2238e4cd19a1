"""People's names for the demo desk and the benchmark generator, grouped by culture.

Names are combined only within one culture so that "first last" reads like a real person; each
culture carries the language such a person would likely write in and a few plausible time zones.
Nicknames give some contacts a preferred name that differs from their first name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    key: str
    language: str
    time_zones: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def _names(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


CULTURES: tuple[Culture, ...] = (
    Culture(
        "british",
        "en",
        _names("Europe/London, Europe/Dublin"),
        _names(
            "Oliver, Charlotte, Harry, Eleanor, James, Sophie, Thomas, Hannah, William, Lucy, "
            "George, Emily, Alexander, Margaret, Robert, Elizabeth, Rebecca, Daniel, Katherine, "
            "Samuel"
        ),
        _names(
            "Whitfield, Harrington, Blackwood, Pemberton, Ashworth, Caldwell, Fletcher, Holloway, "
            "Marsh, Thornton, Gallagher, O'Brien, Doyle, Kavanagh, Price"
        ),
    ),
    Culture(
        "american",
        "en",
        _names("America/New_York, America/Chicago, America/Denver, America/Los_Angeles"),
        _names(
            "Madison, Tyler, Jasmine, Marcus, Brianna, Caleb, Destiny, Ethan, Kayla, Jordan, "
            "Nicole, Andre, Megan, Christopher, Jennifer, Jacob"
        ),
        _names(
            "Johnson, Ramirez, Washington, Miller, Brooks, Sullivan, Bennett, Coleman, Reyes, "
            "Hughes, Patterson, Foster, Jenkins, Hayes"
        ),
    ),
    Culture(
        "nigerian",
        "en",
        _names("Africa/Lagos, Europe/London"),
        _names(
            "Chinedu, Ngozi, Oluwaseun, Adaeze, Emeka, Folake, Tunde, Chiamaka, Babatunde, "
            "Ifeoma, Segun, Yetunde"
        ),
        _names("Okafor, Adeyemi, Eze, Balogun, Nwosu, Ogunleye, Okeke, Adebayo, Obi, Afolabi"),
    ),
    Culture(
        "indian",
        "en",
        _names("Asia/Kolkata, Europe/London, America/Toronto"),
        _names(
            "Aarav, Ananya, Rohan, Priyanka, Vikram, Deepika, Arjun, Kavya, Siddharth, Meera, "
            "Rahul, Lakshmi"
        ),
        _names("Sharma, Iyer, Patel, Reddy, Menon, Kapoor, Banerjee, Nair, Gupta, Krishnan"),
    ),
    Culture(
        "chinese",
        "en",
        _names("Asia/Singapore, Asia/Hong_Kong, Australia/Sydney, America/Vancouver"),
        _names("Wei, Mei, Jun, Xiaoling, Hao, Li Na, Chen, Yan, Jian, Lan"),
        _names("Zhang, Wang, Liu, Chen, Huang, Zhou, Lin, Tan, Ng, Lim"),
    ),
    Culture(
        "australian",
        "en",
        _names("Australia/Sydney, Australia/Melbourne, Pacific/Auckland"),
        _names("Lachlan, Matilda, Cooper, Isla, Hamish, Ruby, Angus, Zoe, Ngaio, Tama"),
        _names("Campbell, MacKenzie, Walsh, Nguyen, Te Rangi, Henderson, Parata, Kelly"),
    ),
    Culture(
        "german",
        "de",
        _names("Europe/Berlin, Europe/Vienna, Europe/Zurich"),
        _names(
            "Lukas, Katharina, Jonas, Anna, Felix, Johanna, Maximilian, Sabine, Matthias, "
            "Franziska, Tobias, Ursula, Jürgen, Lena, Stefan, Birgit"
        ),
        _names(
            "Müller, Schneider, Fischer, Becker, Hoffmann, Schäfer, Köhler, Wagner, Zimmermann, "
            "Krüger, Hartmann, Brandt, Vogel, Lehmann"
        ),
    ),
    Culture(
        "spanish",
        "es",
        _names("Europe/Madrid, Atlantic/Canary, America/Mexico_City, America/Bogota"),
        _names(
            "Lucía, Alejandro, Carmen, Javier, María José, Francisco, Pilar, Diego, Valentina, "
            "Andrés, Rocío, Guillermo, Ximena, Santiago"
        ),
        _names(
            "García, Fernández, Martínez, López, Sánchez, Romero, Navarro, Ortega, Castillo, "
            "Vargas, Herrera, Moreno, Delgado"
        ),
    ),
    Culture(
        "french",
        "fr",
        _names("Europe/Paris, Europe/Brussels, America/Montreal, Africa/Dakar"),
        _names(
            "Camille, Julien, Élodie, Mathieu, Chloé, Antoine, Margaux, Nicolas, Aurélie, "
            "Guillaume, Fatou, Mamadou, Sylvie, Théo"
        ),
        _names(
            "Dubois, Lefèvre, Moreau, Girard, Rousseau, Fontaine, Chevalier, Mercier, Bonnet, "
            "Lambert, Diallo, Ndiaye, Tremblay"
        ),
    ),
    Culture(
        "portuguese",
        "pt",
        _names("Europe/Lisbon, America/Sao_Paulo, Atlantic/Azores"),
        _names(
            "João, Margarida, Tiago, Beatriz, Rafael, Inês, Gonçalo, Mariana, Thiago, Larissa, "
            "Rodrigo, Fernanda"
        ),
        _names(
            "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Almeida, Carvalho, "
            "Ribeiro, Souza, Barbosa"
        ),
    ),
    Culture(
        "nordic",
        "en",
        _names("Europe/Stockholm, Europe/Oslo, Europe/Copenhagen, Europe/Helsinki"),
        _names(
            "Astrid, Henrik, Sigrid, Magnus, Freya, Lars, Ingrid, Mikael, Saga, Anders, Aino, Eero"
        ),
        _names(
            "Andersson, Johansen, Nilsson, Lindgren, Berg, Halvorsen, Virtanen, Korhonen, Dahl, "
            "Sørensen"
        ),
    ),
    Culture(
        "polish",
        "en",
        _names("Europe/Warsaw, Europe/London"),
        _names("Agnieszka, Piotr, Katarzyna, Krzysztof, Małgorzata, Tomasz, Zofia, Marek"),
        _names("Nowak, Wójcik, Kowalczyk, Mazur, Krawczyk, Zając, Dudek"),
    ),
    Culture(
        "arabic",
        "en",
        _names("Asia/Dubai, Africa/Cairo, Europe/London, Africa/Casablanca"),
        _names("Omar, Layla, Youssef, Amira, Karim, Nour, Hassan, Salma, Tariq, Yasmin"),
        _names("Haddad, El-Sayed, Mansour, Khoury, Benali, Nasser, Farouk, Aziz"),
    ),
    Culture(
        "japanese",
        "en",
        _names("Asia/Tokyo, America/Los_Angeles"),
        _names("Haruto, Yui, Sota, Aoi, Ren, Hina, Kenji, Sakura"),
        _names("Sato, Suzuki, Takahashi, Watanabe, Ito, Yamamoto, Nakamura"),
    ),
)

CULTURES_BY_KEY = {c.key: c for c in CULTURES}

# What some people prefer to be called.
NICKNAMES: dict[str, str] = {
    "Alexander": "Alex",
    "Elizabeth": "Liz",
    "Margaret": "Maggie",
    "Katherine": "Kate",
    "Robert": "Rob",
    "Christopher": "Chris",
    "Jennifer": "Jen",
    "Samuel": "Sam",
    "Rebecca": "Becky",
    "Oluwaseun": "Seun",
    "Babatunde": "Tunde",
    "Chiamaka": "Amaka",
    "Siddharth": "Sid",
    "Lakshmi": "Lux",
    "Maximilian": "Max",
    "Katharina": "Kathi",
    "Franziska": "Franzi",
    "Matthias": "Matze",
    "Francisco": "Paco",
    "María José": "Majo",
    "Guillermo": "Memo",
    "Alejandro": "Álex",
    "Margarida": "Guida",
    "Gonçalo": "Gonça",
    "Guillaume": "Guillo",
    "Agnieszka": "Aga",
    "Małgorzata": "Gosia",
    "Krzysztof": "Krzysiek",
    "Hamish": "Hamie",
    "Xiaoling": "Lily",
    "Yasmin": "Yas",
}


def ascii_slug(text: str) -> str:
    """'María José Núñez' -> 'mariajose.nunez'-style pieces for email addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def email_local(first: str, last: str) -> str:
    return f"{ascii_slug(first)}.{ascii_slug(last)}"
