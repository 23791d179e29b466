#!/usr/bin/env python3
"""Writes a seeded multi-country CRM export corpus and the values LeadSync should store for it.

Contacts come from Faker (de_DE, de_AT, de_CH, en_US, en_GB, fr_FR, pl_PL, tr_TR) plus
hand-written awkward values (invalid phones, `mailto:` and malformed e-mails, Unicode and
Punycode domains, owner names, custom lead sources, notes with blank lines). Each contact is
written to every file format: HubSpot CSV, Salesforce CSV with API names and with labels, German
Excel CSV (UTF-8 with BOM, and Windows-1252, both with `;`), vCard 3.0 and vCard 4.0.

expected.json holds, per contact, the original values and what libphonenumber (`phonenumbers`)
and `email-validator` make of them, so the Swift test can measure agreement.

    python3 Scripts/generate-import-corpus.py OUTPUT_DIR [--seed 16] [--per-locale 40]
"""
import argparse
import json
import os
import random

import email_validator
import phonenumbers
from faker import Faker

LOCALES = {"de_DE": "DE", "de_AT": "AT", "de_CH": "CH", "en_US": "US", "en_GB": "GB", "fr_FR": "FR",
           "pl_PL": "PL", "tr_TR": "TR"}
COUNTRY_SPELLINGS = {
    "DE": ["Germany", "Deutschland", "Allemagne", "DE", "DEU"],
    "AT": ["Austria", "Österreich", "Autriche", "AT", "AUT"],
    "CH": ["Switzerland", "Schweiz", "Suisse", "CH", "CHE"],
    "US": ["United States", "USA", "Vereinigte Staaten", "États-Unis", "US"],
    "GB": ["United Kingdom", "Vereinigtes Königreich", "Royaume-Uni", "GB", "GBR"],
    "FR": ["France", "Frankreich", "FR", "FRA"],
    "PL": ["Poland", "Polen", "Pologne", "PL", "POL"],
    "TR": ["Turkey", "Türkei", "Turquie", "TR", "TUR"],
}
INVALID_PHONES = ["n/a", "tbd", "123", "+49 1", "000", "call me", "+1 (555) 123-4567", "+99 123 4567",
                  "0049", "keine"]
OWNERS = ["Anna Schmidt", "Jonas Weber", "Marie Dubois", "John Carter", "anna-schmidt", "sales@example.com"]
SOURCES = ["LinkedIn", "Google AdWords", "Web", "Trade Show", "Partner Referral", "Messe", "Cold Call"]


def expected_email(raw):
    text = raw.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        return None


def expected_phone(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164 + (";ext=" + number.extension if number.extension else "")


def awkward_email(rng, fake, first, last):
    domain = rng.choice(["müller.de", "xn--mller-kva.de", "bücher.example.org", "société.fr"])
    local = (first[:1] + "." + last).lower().replace(" ", "")
    local = "".join(c for c in local if c.isalnum() or c == ".") or "x"
    return rng.choice([
        "mailto:" + fake.email(), local + ".." + "x@example.com", local + "@-example.com",
        local + "\u0001@example.com", local + "@" + domain, local.upper() + "@" + domain.upper(), local + "@example",
        " " + fake.email() + " ", local + "@example.com.",
    ])


def make_contacts(seed, per_locale):
    rng = random.Random(seed)
    contacts = []
    for locale, country in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed + len(contacts))
        for _ in range(per_locale):
            first, last = fake.first_name(), fake.last_name()
            email = fake.email() if rng.random() > 0.08 else awkward_email(rng, fake, first, last)
            phone = fake.phone_number() if rng.random() > 0.04 else rng.choice(INVALID_PHONES)
            mobile = fake.phone_number() if rng.random() < 0.5 else ""
            note = ""
            if rng.random() < 0.3:
                note = fake.sentence() + ("\n\n" + fake.sentence() if rng.random() < 0.5 else "")
            contact = {
                "id": "c%05d" % len(contacts), "locale": locale, "region": country,
                "first_name": first, "last_name": last, "company": fake.company(), "job_title": fake.job()[:60],
                "city": fake.city(), "postal_code": fake.postcode(), "country": rng.choice(COUNTRY_SPELLINGS[country]),
                "email": email, "phone": phone, "mobile": mobile, "owner": rng.choice(OWNERS) if rng.random() < 0.5 else "",
                "source": rng.choice(SOURCES) if rng.random() < 0.5 else "", "note": note,
            }
            contact["expected"] = {
                "email": expected_email(email) if email.strip() else None,
                "phone": expected_phone(phone, country),
                "mobile": expected_phone(mobile, country) if mobile else None,
                "country": country,
            }
            contacts.append(contact)
    # A row with nothing that identifies a person: the one kind of row an import leaves out.
    contacts.append({"id": "c%05d" % len(contacts), "locale": "none", "region": "DE", "first_name": "", "last_name": "",
                     "company": "", "job_title": "", "city": "Berlin", "postal_code": "", "country": "DE", "email": "",
                     "phone": "", "mobile": "", "owner": "", "source": "", "note": "",
                     "expected": {"email": None, "phone": None, "mobile": None, "country": "DE", "refused": True}})
    return contacts


CSV_LAYOUTS = {
    # file: (delimiter, encoding, bom, columns as (header, key))
    "hubspot.csv": (",", "utf-8", False, [
        ("Corpus ID", "id"), ("First Name", "first_name"), ("Last Name", "last_name"), ("Email", "email"),
        ("Phone Number", "phone"), ("Mobile Phone Number", "mobile"), ("Company Name", "company"),
        ("Job Title", "job_title"), ("City", "city"), ("Postal Code", "postal_code"), ("Country/Region", "country"),
        ("Contact owner", "owner"), ("Notes", "note")]),
    "salesforce-api.csv": (",", "utf-8", False, [
        ("Corpus ID", "id"), ("FirstName", "first_name"), ("LastName", "last_name"), ("Email", "email"),
        ("Phone", "phone"), ("MobilePhone", "mobile"), ("Company", "company"), ("Title", "job_title"),
        ("City", "city"), ("PostalCode", "postal_code"), ("Country", "country"), ("OwnerId", "owner"),
        ("LeadSource", "source"), ("Description", "note")]),
    "salesforce-labels.csv": (",", "utf-8", False, [
        ("Corpus ID", "id"), ("First Name", "first_name"), ("Last Name", "last_name"), ("Email", "email"),
        ("Phone", "phone"), ("Mobile", "mobile"), ("Company", "company"), ("Title", "job_title"),
        ("City", "city"), ("Zip/Postal Code", "postal_code"), ("Country", "country"), ("Lead Owner", "owner"),
        ("Lead Source", "source"), ("Description", "note")]),
    "excel-utf8.csv": (";", "utf-8", True, [
        ("Corpus ID", "id"), ("Vorname", "first_name"), ("Nachname", "last_name"), ("E-Mail", "email"),
        ("Telefon", "phone"), ("Mobiltelefon", "mobile"), ("Firma", "company"), ("Position", "job_title"),
        ("Ort", "city"), ("PLZ", "postal_code"), ("Land", "country"), ("Notizen", "note")]),
    "excel-1252.csv": (";", "cp1252", False, [
        ("Corpus ID", "id"), ("Vorname", "first_name"), ("Nachname", "last_name"), ("E-Mail", "email"),
        ("Telefon", "phone"), ("Mobiltelefon", "mobile"), ("Firma", "company"), ("Position", "job_title"),
        ("Ort", "city"), ("PLZ", "postal_code"), ("Land", "country"), ("Notizen", "note")]),
}


def csv_cell(value, delimiter):
    if any(c in value for c in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def encodable(contact, encoding):
    try:
        for key in ("first_name", "last_name", "company", "job_title", "city", "country", "email", "phone", "mobile",
                    "owner", "source", "note"):
            contact[key].encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def write_csv(path, layout, contacts):
    delimiter, encoding, bom, columns = layout
    rows = [delimiter.join(csv_cell(h, delimiter) for h, _ in columns)]
    written = []
    for contact in contacts:
        if not encodable(contact, encoding):
            continue
        rows.append(delimiter.join(csv_cell(contact[key], delimiter) for _, key in columns))
        written.append(contact["id"])
    data = "\r\n".join(rows) + "\r\n"
    with open(path, "wb") as out:
        out.write((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
    return written


def vtext(value):
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\\n")
            .replace("\n", "\\n"))


def write_vcards(path, version, contacts):
    lines = []
    written = []
    for c in contacts:
        lines += ["BEGIN:VCARD", "VERSION:" + version]
        lines.append("N:%s;%s;;;" % (vtext(c["last_name"]), vtext(c["first_name"])))
        lines.append("FN:" + vtext((c["first_name"] + " " + c["last_name"]).strip()))
        if c["company"]:
            lines.append("ORG:" + vtext(c["company"]))
        if c["job_title"]:
            lines.append("TITLE:" + vtext(c["job_title"]))
        if c["email"]:
            lines.append(("EMAIL;TYPE=INTERNET,WORK:" if version == "3.0" else "EMAIL;TYPE=work:") + vtext(c["email"]))
        for key, kind in (("phone", "work"), ("mobile", "cell")):
            value = c[key]
            if not value:
                continue
            pref = ",PREF" if version == "3.0" and key == "phone" else ""
            if version == "3.0":
                lines.append("TEL;TYPE=%s,VOICE%s:%s" % (kind.upper(), pref, vtext(value)))
            elif c["expected"][key] and value.startswith("+") and all(ch.isdigit() or ch in " -()" for ch in value[1:]):
                # A tel: URI for valid international numbers (as 4.0 clients write them); the
                # rest as text, so what is set aside is exactly what the file says.
                uri = "tel:+" + "-".join(value[1:].replace("(", " ").replace(")", " ").replace("-", " ").split())
                lines.append("TEL;VALUE=uri;TYPE=%s%s:%s" % (kind, ";PREF=1" if key == "phone" else "", uri))
            else:
                lines.append("TEL;VALUE=text;TYPE=%s%s:%s" % (kind, ";PREF=1" if key == "phone" else "", vtext(value)))
        lines.append("ADR;TYPE=work:;;;%s;;%s;%s" % (vtext(c["city"]), vtext(c["postal_code"]), vtext(c["country"])))
        if c["note"]:
            lines.append("NOTE:" + vtext(c["note"]))
        lines.append("X-LEADSYNC-X-CORPUS-ID:" + c["id"])
        lines.append("END:VCARD")
        written.append(c["id"])
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\r\n".join(lines) + "\r\n")
    return written


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--per-locale", type=int, default=40)
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    contacts = make_contacts(args.seed, args.per_locale)
    files = {}
    for name, layout in CSV_LAYOUTS.items():
        files[name] = write_csv(os.path.join(args.output, name), layout, contacts)
    files["contacts-30.vcf"] = write_vcards(os.path.join(args.output, "contacts-30.vcf"), "3.0", contacts)
    files["contacts-40.vcf"] = write_vcards(os.path.join(args.output, "contacts-40.vcf"), "4.0", contacts)
    with open(os.path.join(args.output, "expected.json"), "w", encoding="utf-8") as out:
        json.dump({"files": files, "contacts": {c["id"]: c for c in contacts}}, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
