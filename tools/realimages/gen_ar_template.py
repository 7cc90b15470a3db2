#!/usr/bin/env python3
"""Writes seeds/forms/ar-2017-paso-certificado-escrutinio.yaml from the measurements of rectify_ar.py.

Reference frame: the photo rectified by its table frame (rectify_ar.py). Results table rows are 19.54 px
apart from the header's bottom line at y 346 to the bottom line at y 815 (24 rows); the four value columns
are ruled at x 430, 497, 565, 633, 702. Cells printed "NO USAR" (grey, for lists that do not compete for
that category) are not fields.

    python3 tools/realimages/gen_ar_template.py > seeds/forms/ar-2017-paso-certificado-escrutinio.yaml
"""
COLUMNS = [  # key, left line, right line, printed name
    ("senadores_nacionales", 430, 497, "Senadores nacionales"),
    ("diputados_nacionales", 497, 565, "Diputados nacionales"),
    ("legisladores_provinciales", 565, 633, "Legisladores provinciales"),
    ("concejales_consejeros_escolares", 633, 702, "Concejales y consejeros escolares"),
]
S, D, L, C = range(4)
# row key, printed label, columns printed NO USAR, party row (summed into total_agrupaciones)
ROWS = [
    ("transporte_hoja1", "Transporte subtotales de hoja 1", [], False),
    ("507_creo", "507 Creo, lista Convicciones", [L, C], True),
    ("507_79_convicciones", "507/79 Partido Renovador Federal, lista Convicciones", [S, D], True),
    ("508_cambiando_juntos", "508 Cambiemos Buenos Aires, lista Cambiando Juntos", [L, C], True),
    ("508_1a_amarillo", "508 Cambiemos Buenos Aires, lista 1A Amarillo", [S, D], True),
    ("508_2a_amarillo", "508 Cambiemos Buenos Aires, lista 2A Amarillo", [S, D, L], True),
    ("509_cumplir", "509 Frente Justicialista, lista Cumplir", [L, C], True),
    ("509_cumplir2", "509 Frente Justicialista, lista Cumplir 2", [S, D], True),
    ("510_lista1", "510 Frente de Izquierda y de los Trabajadores, lista 1", [], True),
    ("1902_l_autoctono", "1902 Frente Unión Federal, L. Autóctono", [S, D], True),
    ("1902_l_dignidad_popular", "1902 Frente Unión Federal, L. Dignidad Popular", [S, D], True),
    ("1902_l_frente_union_federal", "1902 Frente Unión Federal, L. Frente Unión Federal", [S, D], True),
    ("1902_l_primera_dama_del_pueblo", "1902 Frente Unión Federal, L. Primera Dama del Pueblo", [S, D, C], True),
    ("1902_l_laborista", "1902 Frente Unión Federal, L. Laborista", [S, D, C], True),
    ("1902_l_popular", "1902 Frente Unión Federal, L. Popular", [S, D], True),
    ("1902_l_renovacion_federal", "1902 Frente Unión Federal, L. Renovación Federal", [S, D, C], True),
    ("1902_l_tres_banderas", "1902 Frente Unión Federal, L. Tres Banderas", [S, D], True),
    ("total_agrupaciones", "Total votos agrupaciones políticas", [], False),
    ("nulos", "Votos nulos", [], False),
    ("recurridos", "Votos recurridos que se remiten en sobre Nro. 3", [], False),
    ("identidad_impugnada", "Votos de identidad impugnada que se remiten en sobre Nro. 3", [], False),
    ("comando_electoral", "Votos del comando electoral que se remiten en el bolsín", [], False),
    ("blancos", "Votos en blanco", [], False),
    ("total_por_columnas", "Total por columnas (*)", [], False),
]
TOP, PITCH = 346.0, 19.54


def main():
    out = []
    w = out.append
    w("id: ar-2017-paso-certificado-escrutinio")
    w("version: 1")
    w("country: AR")
    w("title:")
    w('  es: "Certificado de escrutinio, hoja 2 (PASO 2017, Distrito Buenos Aires)"')
    w('  en: "Argentina 2017 primaries (PASO), Buenos Aires: polling-table count certificate, sheet 2"')
    w("description: |")
    for line in """Sheet 2/2 of the certificado de escrutinio of a mesa, Buenos Aires district, 13 August 2017 PASO: one
row per party list, one column per category (senadores nacionales, diputados nacionales, legisladores
provinciales, concejales y consejeros escolares); a key is <column>.<row>. Reference rendering: the
720x1280 phone photo ../shared/realimages/ar_2017_paso_ba_certificado_malvinas_argentinas_c399_m65_hoja2.jpg
RECTIFIED by the homography that maps the four corners of the results table's outer ruled frame (photo
(41.8,294.6) (699.2,274.2) (704.2,818.3) (34.1,812.3)) onto the upright rectangle `registration.table`
(tools/realimages/rectify_ar.py; the photo has a 2 degree keystone, so its own pixel grid would not
make an upright template). Coordinates were measured on the rectified image from dark-line profiles:
rows every 19.54 px from y 346 (24 rows), value columns ruled at x 430, 497, 565, 633, 702; the
header table (EN NUMEROS x 399-463, EN LETRAS x 463-703) rows at y 214, 239, 264, 288. Cells printed
"NO USAR" are not fields. No solid marks: registration is by the table frame (top: the line above
the column headings; bottom: the line under TOTAL POR COLUMNAS; left and right: the page frame).
Relations: each column's total of the political groupings is the sheet-1 carry-over plus its lists;
its total is that plus nulos, recurridos, identidad impugnada, comando electoral and blancos; and by the
printed note (*) every column total equals the envelopes used (sobres_en_urna).""".split("\n"):
        w("  " + line)
    w("elections: [ar-2017-paso-buenos-aires]")
    w("page: {width: 720, height: 1280, dpi: 72}")
    w("registration:")
    w("  table: {x: 40, y: 287, width: 662, height: 528}")
    w("  anchors:")
    w('    - {text: "CERTIFICADO", box: {x: 175, y: 138, width: 170, height: 24}}')
    w("fields:")
    header = [("ciudadanos_votaron", "Cantidad de ciudadanos que han votado", "Citizens who voted", 216),
              ("sobres_en_urna", "Cantidad de sobres utilizados en la urna", "Envelopes used in the ballot box", 241),
              ("diferencia", "Diferencia", "Difference", 266)]
    for key, es, en, y in header:
        w(f"  - key: {key}")
        w("    line: 0")
        w("    kind: count")
        w(f'    label: {{es: "{es}", en: "{en}"}}')
        w(f"    box: {{x: 401, y: {y}, width: 60, height: 21}}")
        w(f"    words: {{x: 465, y: {y}, width: 236, height: 21}}")
    for index, (row, label, unused, _) in enumerate(ROWS):
        top = TOP + PITCH * index
        for c, (column, left, right, cname) in enumerate(COLUMNS):
            if c in unused:
                continue
            w(f"  - key: {column}.{row}")
            w(f"    line: {index + 1}")
            w("    kind: count")
            w(f'    label: {{es: "{label} ({cname})", en: "{label} ({cname})"}}')
            w(f"    box: {{x: {left + 2}, y: {top + 1.5:.1f}, width: {right - left - 4}, height: 16.5}}")
    w("relations:")
    for c, (column, *_rest) in enumerate(COLUMNS):
        lists = [f"{column}.{row}" for row, _, unused, party in ROWS if party and c not in unused]
        w(f"  - id: {column}_groupings")
        w(f'    expr: "{column}.total_agrupaciones == {column}.transporte_hoja1 + {" + ".join(lists)}"')
        w(f'    description: {{es: "Total agrupaciones = transporte de hoja 1 + listas ({column})", en: "Groupings total is the sheet-1 carry-over plus the lists ({column})"}}')
        parts = " + ".join(f"{column}.{r}" for r in ["total_agrupaciones", "nulos", "recurridos", "identidad_impugnada",
                                                      "comando_electoral", "blancos"])
        w(f"  - id: {column}_total")
        w(f'    expr: "{column}.total_por_columnas == {parts}"')
        w(f'    description: {{es: "Total por columna = agrupaciones + nulos + recurridos + impugnados + comando + blancos", en: "Column total ({column})"}}')
        w(f"  - id: {column}_envelopes")
        w(f'    expr: "{column}.total_por_columnas == sobres_en_urna"')
        w(f'    description: {{es: "(*) La suma de los totales por columna debe coincidir con los sobres utilizados", en: "Column total equals the envelopes used ({column})"}}')
    print("\n".join(out))


if __name__ == "__main__":
    main()
