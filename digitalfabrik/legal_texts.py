"""The legal pages' texts a new installation starts with; administrators adapt them in the admin.

The data migration seeds them; a page whose row is missing is shown with them (digitalfabrik.legal).
"""

IMPRINT_DE = """Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)

Anbieter dieses Portals ist die Leitpartnerin des Projekts „In|Die RegionRuhr 4.0: Digitale Fabrik“:

Wirtschaftsförderung Dortmund
Grüne Straße 2–8
44147 Dortmund

Die Wirtschaftsförderung Dortmund ist eine Einrichtung der Stadt Dortmund, Körperschaft des öffentlichen Rechts, vertreten durch den Oberbürgermeister.

Kontakt
E-Mail: digitale-fabrik@example.org
Telefon: +49 231 000000

Umsatzsteuer-Identifikationsnummer gemäß § 27a UStG: DE000000000

Inhaltlich verantwortlich gemäß § 18 Abs. 2 Medienstaatsvertrag: die Projektleitung „Digitale Fabrik“ bei der Wirtschaftsförderung Dortmund, Anschrift wie oben.

Projektpartner: Wirtschaftsentwicklung Bochum GmbH, HAGENagentur GmbH, IHK zu Dortmund, IHK Mittleres Ruhrgebiet, SIHK zu Hagen, Handwerkskammer Dortmund.

Das Projekt wird von der Europäischen Union (Europäischer Fonds für regionale Entwicklung, EFRE) und vom Land Nordrhein-Westfalen gefördert.

Verbraucherstreitbeilegung: Wir sind nicht bereit und nicht verpflichtet, an Streitbeilegungsverfahren vor einer Verbraucherschlichtungsstelle teilzunehmen."""

IMPRINT_EN = """Information pursuant to section 5 of the German Digital Services Act (DDG)

This portal is provided by the lead partner of the project "In|Die RegionRuhr 4.0: Digitale Fabrik":

Wirtschaftsförderung Dortmund
Grüne Straße 2–8
44147 Dortmund, Germany

Wirtschaftsförderung Dortmund is an office of the City of Dortmund, a public-law corporation represented by its Lord Mayor.

Contact
E-mail: digitale-fabrik@example.org
Phone: +49 231 000000

VAT identification number under section 27a of the German VAT Act: DE000000000

Responsible for the content under section 18(2) of the German Interstate Media Treaty: the project management "Digitale Fabrik" at Wirtschaftsförderung Dortmund, address as above.

Project partners: Wirtschaftsentwicklung Bochum GmbH, HAGENagentur GmbH, IHK zu Dortmund, IHK Mittleres Ruhrgebiet, SIHK zu Hagen, Handwerkskammer Dortmund.

The project is funded by the European Union (European Regional Development Fund, ERDF) and the State of North Rhine-Westphalia.

Consumer dispute resolution: we are neither willing nor obliged to take part in dispute resolution proceedings before a consumer arbitration board."""

PRIVACY_DE = """1. Verantwortliche Stelle

Verantwortlich für die Verarbeitung personenbezogener Daten in diesem Portal ist die Wirtschaftsförderung Dortmund, Grüne Straße 2–8, 44147 Dortmund, E-Mail: digitale-fabrik@example.org (siehe Impressum). Den behördlichen Datenschutzbeauftragten der Stadt Dortmund erreichen Sie unter datenschutz@example.org.

2. Welche Daten wir verarbeiten und wozu

Konto: Ihre E-Mail-Adresse, Ihr Passwort (nur als Hash gespeichert), Ihre Sprache und, falls Sie sie einrichten, Ihre Zwei-Faktor-Anmeldung. Zweck: Ihnen ein Konto zu geben und es zu schützen.

Unternehmen: Name, Anschrift, Branche, Größe, Kennzahlen und Ansprechperson Ihres Unternehmens. Zweck: Prüfung der Förderfähigkeit (KMU-Definition, Programmregion) und Zuordnung zur zuständigen Partnerorganisation.

Coaching, Veranstaltungen und InnoScheck.RUHR: Ihre Anfragen, Termine, Teilnahmen, Anträge, Erklärungen (De-minimis) und hochgeladenen Dateien. Zweck: Beratung durch die InnovationCoaches, Entscheidung über Gutscheine, Auszahlung und Verwendungsnachweis.

Rechtsgrundlagen sind Art. 6 Abs. 1 Buchst. b DSGVO (Ihre Anfrage bzw. Ihr Antrag), Art. 6 Abs. 1 Buchst. c DSGVO (Nachweis- und Berichtspflichten der EFRE-Förderung und des Beihilferechts) und Art. 6 Abs. 1 Buchst. e DSGVO (Wirtschaftsförderung als öffentliche Aufgabe).

3. Empfänger

Die Daten sehen nur die Personen, die sie für ihre Aufgabe brauchen: die Projektpartner, die Ihr Unternehmen betreuen, die InnovationCoaches und die Programmverwaltung. Die Förderstellen (Bezirksregierung Arnsberg, EFRE-Verwaltungsbehörde des Landes NRW, Prüfstellen der EU) erhalten Kennzahlen und, soweit das Förderrecht es verlangt, die Liste der geförderten Unternehmen mit den Förderbeträgen. Unsere technischen Dienstleister verarbeiten Daten nur in unserem Auftrag (Art. 28 DSGVO) und innerhalb der EU.

4. Speicherdauer

Konto- und Unternehmensdaten speichern wir, solange Sie das Portal nutzen. Unterlagen zu Gutscheinen und Beratungen bewahren wir so lange auf, wie die Förderbestimmungen es verlangen (in der Regel bis zum Ablauf der Aufbewahrungsfristen der EFRE-Förderung), danach werden sie gelöscht.

5. Cookies

Das Portal setzt nur technisch notwendige Cookies: für die Anmeldung (Sitzung), den Schutz der Formulare (CSRF) und die gewählte Sprache. Es gibt keine Analyse-, Werbe- oder Tracking-Cookies und keine eingebundenen Inhalte Dritter. Für technisch notwendige Cookies ist keine Einwilligung erforderlich (§ 25 Abs. 2 TDDDG); deshalb zeigt das Portal keinen Cookie-Hinweis.

6. Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch (Art. 21). Unter „Datenschutz“ im Portal können Sie Ihre Daten jederzeit herunterladen und Ihr Konto löschen. Sie können sich bei einer Aufsichtsbehörde beschweren, etwa bei der Landesbeauftragten für Datenschutz und Informationsfreiheit Nordrhein-Westfalen, Kavalleriestraße 2–4, 40213 Düsseldorf."""

PRIVACY_EN = """1. Controller

The controller for the processing of personal data in this portal is Wirtschaftsförderung Dortmund, Grüne Straße 2–8, 44147 Dortmund, Germany, e-mail: digitale-fabrik@example.org (see the imprint). The data protection officer of the City of Dortmund can be reached at datenschutz@example.org.

2. What data we process and why

Account: your e-mail address, your password (stored only as a hash), your language and, if you set it up, your two-factor login. Purpose: to give you an account and to protect it.

Company: name, address, industry, size, key figures and contact person of your company. Purpose: checking eligibility (EU SME definition, programme region) and assigning the responsible partner organisation.

Coaching, events and InnoScheck.RUHR: your requests, appointments, registrations, applications, declarations (de-minimis) and uploaded files. Purpose: advice by the InnovationCoaches, decisions on vouchers, payment and proof of use.

The legal bases are Art. 6(1)(b) GDPR (your request or application), Art. 6(1)(c) GDPR (the reporting and record-keeping duties of ERDF funding and of State-aid law) and Art. 6(1)(e) GDPR (economic development as a public task).

3. Recipients

Only the people who need the data for their task see it: the project partners looking after your company, the InnovationCoaches and the programme administration. The funding bodies (Bezirksregierung Arnsberg, the ERDF managing authority of North Rhine-Westphalia, EU auditors) receive figures and, where funding law requires it, the list of supported companies with their aid amounts. Our technical service providers process data only on our behalf (Art. 28 GDPR) and within the EU.

4. How long we keep data

We keep account and company data as long as you use the portal. Records of vouchers and coaching are kept as long as the funding rules require (as a rule until the retention periods of ERDF funding end) and deleted afterwards.

5. Cookies

The portal sets only cookies that are strictly necessary: for the login (session), the protection of forms (CSRF) and the language you chose. There are no analytics, advertising or tracking cookies and no embedded third-party content. Strictly necessary cookies need no consent (section 25(2) TDDDG), which is why the portal shows no cookie notice.

6. Your rights

You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18), data portability (Art. 20) and to object (Art. 21). Under "Privacy" in the portal you can download your data and erase your account at any time. You may lodge a complaint with a supervisory authority, for example the State Commissioner for Data Protection and Freedom of Information of North Rhine-Westphalia, Kavalleriestraße 2–4, 40213 Düsseldorf, Germany."""

DEFAULT_PAGES = [
    {"kind": "imprint", "title_de": "Impressum", "title_en": "Imprint", "text_de": IMPRINT_DE, "text_en": IMPRINT_EN},
    {
        "kind": "privacy",
        "title_de": "Datenschutzerklärung",
        "title_en": "Privacy policy",
        "text_de": PRIVACY_DE,
        "text_en": PRIVACY_EN,
    },
]
