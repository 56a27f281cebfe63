"""Fixtures written for these tests: minimal TED R2.0.9 notices, DECP contracts and files that are no notice."""

from __future__ import annotations

import json

TED_NS = "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"


def ted_r209(doc_id: str, form: str = "F02", title: str = "Entretien des espaces verts", siret: str = "21200033300019",
             reference: str | None = "EV-2020-014", ref_notice: str | None = None, info_add: str = "",
             published: str = "20200115", reserved: bool = False, namespace: str = TED_NS) -> bytes:
    """A TED_EXPORT notice (contract notice F02, award notice F03) of a fictitious French buyer."""
    number, year = doc_id.split("-")
    ref = f"<REF_NOTICE><NO_DOC_OJS>{year}/S 001-{ref_notice.split('-')[0]}</NO_DOC_OJS></REF_NOTICE>" if ref_notice else ""
    kind = "Contract award notice" if form == "F03" else "Contract notice"
    code = "7" if form == "F03" else "3"
    reference_xml = f"<REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>" if reference else ""
    lefti = "<LEFTI><RESTRICTED_SHELTERED_WORKSHOP/></LEFTI>" if reserved else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TED_EXPORT xmlns="{namespace}" VERSION="R2.0.9.S04.E01" DOC_ID="{doc_id}" EDITION="{year}010">
  <CODED_DATA_SECTION>
    <REF_OJS><COLL_OJ>S</COLL_OJ><NO_OJ>10</NO_OJ><DATE_PUB>{published}</DATE_PUB></REF_OJS>
    <NOTICE_DATA><NO_DOC_OJS>{year}/S 010-{number}</NO_DOC_OJS><LG_ORIG>FR</LG_ORIG><ISO_COUNTRY VALUE="FR"/>{ref}
    </NOTICE_DATA>
    <CODIF_DATA><TD_DOCUMENT_TYPE CODE="{code}">{kind}</TD_DOCUMENT_TYPE>
      <NC_CONTRACT_NATURE CODE="4">Services</NC_CONTRACT_NATURE><PR_PROC CODE="1">Open procedure</PR_PROC>
    </CODIF_DATA>
  </CODED_DATA_SECTION>
  <FORM_SECTION>
    <{form}_2014 CATEGORY="ORIGINAL" FORM="{form}" LG="FR">
      <CONTRACTING_BODY><ADDRESS_CONTRACTING_BODY><OFFICIALNAME>Commune de Bastia</OFFICIALNAME>
        <NATIONALID>{siret}</NATIONALID><TOWN>Bastia</TOWN><POSTAL_CODE>20200</POSTAL_CODE><COUNTRY VALUE="FR"/>
      </ADDRESS_CONTRACTING_BODY></CONTRACTING_BODY>
      <OBJECT_CONTRACT><TITLE><P>{title}</P></TITLE>{reference_xml}
        <CPV_MAIN><CPV_CODE CODE="77310000"/></CPV_MAIN><TYPE_CONTRACT CTYPE="SERVICES"/>
        <SHORT_DESCR><P>Entretien des parcs et jardins de la commune.</P></SHORT_DESCR>
      </OBJECT_CONTRACT>
      {lefti}
      <COMPLEMENTARY_INFO><INFO_ADD><P>{info_add}</P></INFO_ADD></COMPLEMENTARY_INFO>
    </{form}_2014>
  </FORM_SECTION>
</TED_EXPORT>
""".encode()


def decp_2019(contracts: list[dict]) -> bytes:
    """A DECP file of the pre-2024 format."""
    return json.dumps({"marches": contracts}, ensure_ascii=False).encode()


def decp_contract(contract_id: str, buyer: str = "21200033300019", objet: str = "Entretien des espaces verts",
                  amount: float = 45000.0, **extra) -> dict:
    return {"id": contract_id, "acheteur": {"id": buyer, "nom": "Commune de Bastia"}, "nature": "Marché",
            "objet": objet, "codeCPV": "77310000-6", "procedure": "Procédure adaptée",
            "lieuExecution": {"code": "20200", "typeCode": "Code postal"}, "dureeMois": 12,
            "dateNotification": "2020-03-02", "datePublicationDonnees": "2020-03-10", "montant": amount,
            "titulaires": [{"typeIdentifiant": "SIRET", "id": "44306184100047"}], **extra}


def own_notice(source: str, source_id: str, text: str, published: str = "2020-01-20", **extra) -> dict:
    return {"source": source, "source_id": source_id, "title": f"Avis {source_id}", "published": published,
            "department": "2B", "sections": [{"heading": "Objet", "text": text, "kind": "object"}], **extra}
