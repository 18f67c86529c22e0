"""Sjöbacka's fault categories, for ``portal init --demo``.  The codes are the Open311
service codes; all go to Tekniska förvaltningen except environmental nuisances,
which Miljö- och hälsoskyddsförvaltningen investigates."""
from sqlalchemy import select

from eservices.services.felanmalan.models import FaultCategory
from portal.extensions import db
from portal.org.models import Department

STREETS = "Gator och trafik"
CLEAN = "Klotter och skräp"
PARKS = "Parker och natur"
WATER = "Vatten, miljö och hälsa"

# code, group, förvaltning, (Swedish name, description), (English name, description), keywords
CATEGORIES = [
    ("gatubelysning", STREETS, "TF",
     ("Gatubelysning", "En gatlampa som är släckt, blinkar, lyser på dagen eller en stolpe som lutar."),
     ("Street lighting", "A streetlight that is out, flickers or is on during the day, or a leaning post."),
     ["gatlampa", "lyktstolpe", "belysning"]),
    ("gata", STREETS, "TF",
     ("Hål eller skada i gata eller cykelväg", "Potthål, sättningar, lösa kantstenar eller trasig beläggning."),
     ("Pothole or damage to a street or cycle path", "Potholes, subsidence, loose kerbs or broken surfacing."),
     ["potthål", "hål i vägen", "asfalt"]),
    ("skylt", STREETS, "TF",
     ("Trafikskylt", "En trafikskylt som har vält, saknas, är skymd eller svår att läsa."),
     ("Road sign", "A road sign that is knocked over, missing, hidden or hard to read."),
     ["vägmärke", "skylt"]),
    ("sno", STREETS, "TF",
     ("Snö och halka", "Gator, gång- och cykelvägar som behöver plogas eller sandas."),
     ("Snow and ice", "Streets, footpaths and cycle paths that need ploughing or gritting."),
     ["snöröjning", "halkbekämpning", "sandning", "plogning"]),
    ("klotter", CLEAN, "TF",
     ("Klotter", "Klotter på kommunens byggnader, broar, skyltar och annan kommunal egendom."),
     ("Graffiti", "Graffiti on municipal buildings, bridges, signs and other municipal property."),
     ["graffiti", "tagg"]),
    ("nedskrapning", CLEAN, "TF",
     ("Nedskräpning", "Skräp, fulla papperskorgar eller dumpat avfall på allmän plats."),
     ("Litter", "Litter, full bins or dumped waste in a public place."),
     ["skräp", "papperskorg", "dumpat avfall"]),
    ("park", PARKS, "TF",
     ("Park och lekplats", "Trasig lekutrustning, parkbänkar, staket eller träd som behöver ses över."),
     ("Parks and playgrounds", "Broken play equipment, benches, fences or trees that need looking at."),
     ["lekplats", "gungor", "parkbänk", "träd"]),
    ("fordon", STREETS, "TF",
     ("Övergivet fordon", "Ett fordon som har stått länge på kommunens mark utan att flyttas."),
     ("Abandoned vehicle", "A vehicle left for a long time on municipal land."),
     ["bil", "skrotbil", "cykel"]),
    ("vatten", WATER, "TF",
     ("Vatten och avlopp", "Läckande brandpost, stopp i dagvattenbrunn eller ett lock som saknas."),
     ("Water and sewerage", "A leaking hydrant, a blocked drain or a missing manhole cover."),
     ["brunn", "dagvatten", "brandpost", "översvämning"]),
    ("miljostorning", WATER, "MHF",
     ("Miljöstörning", "Buller, lukt, rök eller utsläpp som stör, till exempel från en verksamhet."),
     ("Environmental nuisance", "Noise, smells, smoke or discharges that disturb, for example from a business."),
     ["buller", "lukt", "rök", "utsläpp"]),
]


def load_demo():
    """Create the demo categories that do not exist yet (by code)."""
    departments = {d.code: d.id for d in db.session.scalars(select(Department))}
    existing = set(db.session.scalars(select(FaultCategory.code)))
    for position, (code, group, department, sv, en, keywords) in enumerate(CATEGORIES):
        if code in existing:
            continue
        db.session.add(FaultCategory(code=code, group=group, department_id=departments[department],
                                     names={"sv": sv[0], "en": en[0]}, descriptions={"sv": sv[1], "en": en[1]},
                                     keywords=keywords, position=(position + 1) * 10, active=True))
    db.session.flush()
