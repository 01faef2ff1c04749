#!/bin/sh
# CLI: export TABLE --format geojson|gpkg|shp, every file read back by a
# reader that is not minreg's: python3's json module for GeoJSON, the
# sqlite3 shell and python3's struct for the GeoPackage and its blobs,
# python3's struct for the .shp/.shx/.dbf.  The shapes' areas, computed by
# the reader from the exported coordinates, agree with `minreg area`.
. "$srcdir/tests/lib.sh"
G=$srcdir/tests/fixtures/geo
MINREG_NOW=2026-12-03T12:00:00Z; export MINREG_NOW
"$MINREG" tables >/dev/null
set_b() { "$MINREG" boundary "$1" "$2" "$3" >/dev/null 2>&1; }
# a 1 km² square in zone 42, 84 km west of 126°E
cat >"$T/z42.txt" <<'EOF'
拐点,X(起标高),Y(止标高)
1,4450000.00,42416000.00,,,
2,4450000.00,42417000.00,,,
3,4451000.00,42417000.00,,,
4,4451000.00,42416000.00,,,
*,,,,1,
EOF
set_b a11 4 "$G/mine_multi.txt"     # two 采区 and a pillar (a hole), zone 41
set_b a11 5 "$G/square_east.txt"    # zone 41
set_b a11 6 "$T/z42.txt"            # zone 42
set_b a10 1 "$G/deg_decimal.csv"    # degrees
official() { "$MINREG" area --format csv "$1" | tr -d '\r' | grep ',parcel,' | cut -d, -f8; }
A4=$(official "$G/mine_multi.txt") A5=$(official "$G/square_east.txt") A6=$(official "$T/z42.txt")
is "the official areas the exports are held to" "$A4/$A5/$A6" "2.0498/0.9997/0.9998"

# ---- GeoJSON ----
run_minreg export a11 -o "$T/p.geojson"
is "geojson: exit 0, the count, CRS and the rows without a boundary" "$rc/$(cat "$T/out")" \
   "0/10 records written to $T/p.geojson (EPSG:4326); 7 without a boundary, with no geometry"
cat >"$T/gj.py" <<'EOF'
import json, math, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
want = dict(a.split("=") for a in sys.argv[2:])
a, f = 6378137.0, 1 / 298.257222101
e2 = f * (2 - f); e = math.sqrt(e2)
def q(phi):
    s = math.sin(phi)
    return (1 - e2) * (s / (1 - e2 * s * s) - 1 / (2 * e) * math.log((1 - e * s) / (1 + e * s)))
qp = q(math.pi / 2); rq2 = a * a * qp / 2
def ring_area(r):   # signed (counter-clockwise > 0), km²: trapezoids on the authalic sphere (lon, sin β)
    s = 0
    for (l1, p1), (l2, p2) in zip(r, r[1:]):
        s -= math.radians(l2 - l1) * (q(math.radians(p1)) + q(math.radians(p2))) / qp / 2
    return s * rq2 / 1e6
assert d["type"] == "FeatureCollection" and "crs" not in d
fs = d["features"]
out = []
nulls = 0
for ft in fs:
    assert ft["type"] == "Feature"
    p = ft["properties"]
    assert isinstance(p["序号"], int), p["序号"]
    assert p["登记面积(平方公里)"] is None or isinstance(p["登记面积(平方公里)"], float)
    g = ft["geometry"]
    if g is None:
        nulls += 1
        continue
    assert g["type"] == "MultiPolygon"
    total = 0
    for poly in g["coordinates"]:
        for i, r in enumerate(poly):
            assert r[0] == r[-1] and len(r) >= 4
            for lon, lat in r:
                assert 123 < lon < 126.1 and 39 < lat < 41.5, (lon, lat)
            s = ring_area(r)
            # RFC 7946 3.1.6: exterior counter-clockwise, holes clockwise
            assert (s > 0) == (i == 0), (ft["id"], i, s)
            total += s
    out.append("%d:%d:%.4f" % (ft["id"], len(g["coordinates"]), total))
    k = str(ft["id"])
    if k in want:
        assert abs(total - float(want[k])) < 0.00015, (k, total, want[k])
print(len(fs), nulls, " ".join(out))
EOF
is "geojson: read back: 10 features, 7 null geometries, the mine with two polygons; areas as minreg area" \
   "$(python3 "$T/gj.py" "$T/p.geojson" 4="$A4" 5="$A5" 6="$A6" 2>&1)" "10 7 4:2:$A4 5:1:$A5 6:1:$A6"
run_minreg export a11 --format geojson --skip-empty
is "--skip-empty to standard output: 3 features, the note on stderr" \
   "$rc/$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))' <"$T/out")/$(cat "$T/err")" \
   "0/3/3 records written to standard output (EPSG:4326); 7 without a boundary left out"
run_minreg export exploration_permits -o "$T/x.geojson" --skip-empty
is "degrees kept as they are (a geodetic boundary)" \
   "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"][0][0][0]; print(c)' "$T/x.geojson")" \
   "[124.0, 40.0]"

# ---- GeoPackage ----
run_minreg export a11 -o "$T/p.gpkg"
is "gpkg: exit 0, EPSG:4529 (zone 41 with its prefix), one shape projected in" "$rc/$(cat "$T/out")" \
   "0/10 records written to $T/p.gpkg (EPSG:4529); 7 without a boundary, with no geometry; 1 shape projected into zone 41"
q() { sqlite3 "$T/p.gpkg" "$1"; }
is "application_id 'GPKG', user_version 10200, integrity ok" \
   "$(q 'PRAGMA application_id')/$(q 'PRAGMA user_version')/$(q 'PRAGMA integrity_check')" "1196444487/10200/ok"
is "gpkg_contents: a feature layer in EPSG:4529, named by the plan's title" \
   "$(q "SELECT table_name, data_type, identifier, srs_id, last_change FROM gpkg_contents")" \
   "mining_permits|features|附表11 辽宁省丹东市规划基期采矿权现状表|4529|2026-12-03T12:00:00Z"
is "gpkg_spatial_ref_sys: the three required rows and the zone's" \
   "$(q "SELECT group_concat(srs_id) FROM (SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id)")" "-1,0,4326,4529"
is "... its definition PROJ's: CM 123°E, false easting 41 500 km" \
   "$(q "SELECT definition LIKE '%CGCS2000%' AND definition LIKE '%\"central_meridian\",123]%' AND definition LIKE '%41500000%' FROM gpkg_spatial_ref_sys WHERE srs_id = 4529")" 1
is "gpkg_geometry_columns: geom, MULTIPOLYGON" \
   "$(q "SELECT * FROM gpkg_geometry_columns")" "mining_permits|geom|MULTIPOLYGON|4529|0|0"
is "the R*Tree extension: registered, one box per geometry" \
   "$(q "SELECT extension_name, scope FROM gpkg_extensions")/$(q "SELECT count(*) FROM rtree_mining_permits_geom")/$(q "SELECT count(geom) FROM mining_permits")" \
   "gpkg_rtree_index|write-only/3/3"
is "... and its six triggers (GeoPackage 1.2, F.3)" "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_mining_permits_geom_%'")" 6
is "attributes typed: 序号 INTEGER, the area REAL, names TEXT" \
   "$(q "SELECT typeof(\"序号\"), typeof(\"登记面积(平方公里)\"), typeof(\"矿山名称\") FROM mining_permits WHERE fid = 4")" \
   "integer|real|text"
cat >"$T/gp.py" <<'EOF'
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
srs = int(sys.argv[2])
want = dict(a.split("=") for a in sys.argv[3:])
boxes = {r[0]: r[1:] for r in db.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_mining_permits_geom")}
out = []
for fid, g, no in db.execute('SELECT fid, geom, "序号" FROM mining_permits WHERE geom IS NOT NULL ORDER BY fid'):
    assert g[:2] == b"GP" and g[2] == 0, g[:4]
    flags = g[3]
    assert flags & 1 and (flags >> 1) & 7 == 1 and not flags & 0x10, flags
    (sid,) = struct.unpack_from("<i", g, 4)
    assert sid == srs
    env = struct.unpack_from("<4d", g, 8)
    w = memoryview(g)[40:]
    o = 0
    def u32():
        global o
        (v,) = struct.unpack_from("<I", w, o); o += 4; return v
    assert w[0] == 1; o = 1
    assert u32() == 6
    npoly = u32()
    xs, ys, total = [], [], 0
    for _ in range(npoly):
        assert w[o] == 1; o += 1
        assert u32() == 3
        for ri in range(u32()):
            n = u32()
            pts = [struct.unpack_from("<2d", w, o + 16 * i) for i in range(n)]
            o += 16 * n
            assert pts[0] == pts[-1]
            s = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:])) / 2 / 1e6
            assert (s > 0) == (ri == 0), (fid, ri, s)   # exterior counter-clockwise
            total += s
            xs += [p[0] for p in pts]; ys += [p[1] for p in pts]
    assert o == len(w)
    assert env == (min(xs), max(xs), min(ys), max(ys)), env
    b = boxes[fid]   # 32-bit floats, rounded outwards: within 8 m at 41 600 km
    assert b[0] <= env[0] and b[1] >= env[1] and b[2] <= env[2] and b[3] >= env[3], (b, env)
    assert all(abs(x - y) < 8 for x, y in zip(b, env)), (b, env)
    # the plane area is the official one times the scale factor's square,
    # (1 + y²/2R²)², y the distance from the central meridian
    y = (min(xs) + max(xs)) / 2 % 1e6 - 500000
    k2 = (1 + y * y / (2 * 6371000.0 ** 2)) ** 2
    ok = abs(total / (float(want[str(no)]) * k2) - 1) < 3e-4
    out.append("%d:%d:%.0f:%s" % (no, npoly, min(xs) // 1e6, "ok" if ok else "%.6f" % total))
print(" ".join(out))
EOF
# the zone-42 square (84 km west of 126°E) lands some 170 km east of 123°E
is "gpkg blobs: GP header, envelope, srs, WKB multipolygons, exteriors counter-clockwise, the R*Tree boxes; plane areas" \
   "$(python3 "$T/gp.py" "$T/p.gpkg" 4529 4="$A4" 5="$A5" 6="$A6" 2>&1)" "4:2:41:ok 5:1:41:ok 6:1:41:ok"
is "... the fixture's points exact (the square's first corner)" \
   "$(python3 -c 'import sqlite3,struct,sys; g=sqlite3.connect(sys.argv[1]).execute("SELECT geom FROM mining_permits WHERE fid=5").fetchone()[0]; print("%.2f %.2f" % struct.unpack_from("<2d", g, 40+13+4)[0:2] if False else "%.2f %.2f" % struct.unpack_from("<2d", g, 40+9+9+4))' "$T/p.gpkg")" \
   "41618000.00 4450000.00"
run_minreg export a11 -o "$T/z.gpkg" --zone 42 --skip-empty
is "--zone 42: EPSG:4530, all three in zone 42's plane" \
   "$rc/$(sqlite3 "$T/z.gpkg" 'SELECT srs_id FROM gpkg_contents')/$(python3 "$T/gp.py" "$T/z.gpkg" 4530 4="$A4" 5="$A5" 6="$A6" 2>&1 | tr ' ' '\n' | cut -d: -f3 | sort -u)" "0/4530/42"

# ---- shapefile ----
run_minreg export a11 -o "$T/p.shp"
is "shp: exit 0" "$rc/$(cat "$T/out")" \
   "0/10 records written to $T/p.shp (EPSG:4529); 7 without a boundary, with no geometry; 1 shape projected into zone 41"
is "... five files" "$(cd "$T" && ls p.cpg p.dbf p.prj p.shp p.shx | wc -l)" 5
is ".cpg: UTF-8" "$(cat "$T/p.cpg")" "UTF-8"
is ".prj: ESRI WKT of CGCS2000 zone 41" \
   "$(grep -c '^PROJCS\["CGCS2000_3_Degree_GK_Zone_41",GEOGCS\["GCS_China_Geodetic_Coordinate_System_2000".*"False_Easting",41500000.0\].*"Central_Meridian",123.0\]' "$T/p.prj")" 1
cat >"$T/shp.py" <<'EOF'
import struct, sys
base, enc = sys.argv[1], sys.argv[2]
want = dict(a.split("=") for a in sys.argv[3:])
shp = open(base + ".shp", "rb").read(); shx = open(base + ".shx", "rb").read(); dbf = open(base + ".dbf", "rb").read()
for f in (shp, shx):
    code, = struct.unpack(">i", f[:4]); length, = struct.unpack(">i", f[24:28])
    ver, typ = struct.unpack("<2i", f[28:36])
    assert (code, ver, typ) == (9994, 1000, 5) and length * 2 == len(f), (code, ver, typ, length, len(f))
box = struct.unpack("<4d", shp[36:68])
n = (len(shx) - 100) // 8
# .dbf: dBase III, its record count, fields of at most 10 bytes
assert dbf[0] == 3
nrec, hlen, rlen = struct.unpack("<IHH", dbf[4:12])
assert nrec == n, (nrec, n)
fields, o = [], 32
while dbf[o] != 0x0D:
    name = dbf[o:o + 11].split(b"\0")[0].decode("ascii"); typ = chr(dbf[o + 11]); ln = dbf[o + 16]; dec = dbf[o + 17]
    assert len(name) <= 10
    fields.append((name, typ, ln, dec)); o += 32
assert o + 1 == hlen and 1 + sum(f[2] for f in fields) == rlen and dbf[-1] == 0x1A
assert len(dbf) == hlen + nrec * rlen + 1
recs = []
for i in range(nrec):
    r = dbf[hlen + i * rlen: hlen + (i + 1) * rlen]; p = 1; row = {}
    for name, typ, ln, dec in fields:
        v = r[p:p + ln].decode(enc).strip(); p += ln
        row[name] = (int(v) if dec == 0 else float(v)) if typ == "N" and v else v
    recs.append(row)
out = []
for i in range(n):
    off, clen = struct.unpack(">2i", shx[100 + 8 * i: 108 + 8 * i])
    rn, cl = struct.unpack(">2i", shp[off * 2: off * 2 + 8])
    assert rn == i + 1 and cl == clen
    c = shp[off * 2 + 8: off * 2 + 8 + cl * 2]
    t, = struct.unpack("<i", c[:4])
    if t == 0:
        continue
    assert t == 5
    nparts, npts = struct.unpack("<2i", c[36:44])
    parts = list(struct.unpack("<%di" % nparts, c[44:44 + 4 * nparts])) + [npts]
    pts = [struct.unpack_from("<2d", c, 44 + 4 * nparts + 16 * k) for k in range(npts)]
    total, outer, xs = 0, 0, []
    for k in range(nparts):
        r = pts[parts[k]:parts[k + 1]]
        assert r[0] == r[-1]
        s = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(r, r[1:])) / 2 / 1e6
        outer += s < 0          # ESRI: exterior rings clockwise, holes counter-clockwise
        total += -s
        for x, y in r:
            assert box[0] <= x <= box[2] and box[1] <= y <= box[3]
            xs.append(x)
    y = (min(xs) + max(xs)) / 2 % 1e6 - 500000
    k2 = (1 + y * y / (2 * 6371000.0 ** 2)) ** 2
    ok = abs(total / (float(want[str(recs[i]["id"])]) * k2) - 1) < 3e-4
    out.append("%d:%d:%d:%s:%s" % (recs[i]["id"], nparts, outer, "ok" if ok else "%.6f" % total, recs[i]["mine_name"]))
print(len(fields), nrec, " ".join(out))
EOF
name() { sqlite3 "$T/reg.db" "SELECT mine_name FROM mining_permits WHERE id = $1"; }
is "shp/shx/dbf read back: 10 records, the mine's three parts (two exterior, clockwise), areas, names in UTF-8" \
   "$(python3 "$T/shp.py" "$T/p" utf-8 4="$A4" 5="$A5" 6="$A6" 2>&1 | cut -d' ' -f2-)" \
   "10 4:3:2:ok:$(name 4) 5:1:1:ok:$(name 5) 6:1:1:ok:$(name 6)"
run_minreg export mining_permits --format shp -o "$T/g.shp" --encoding gbk --skip-empty
is "--encoding gbk: .cpg GBK, the .dbf's language driver 0x4D, names in GBK" \
   "$rc/$(cat "$T/g.cpg")/$(od -An -tx1 -j29 -N1 "$T/g.dbf" | tr -d ' ')/$(python3 "$T/shp.py" "$T/g" gbk 4="$A4" 5="$A5" 6="$A6" 2>&1 | cut -d' ' -f3 | cut -d: -f5)" \
   "0/GBK/4d/$(name 4)"

# ---- what is refused ----
cp "$T/reg.db" "$T/before.db"
run_minreg export a11 --format gpkg -o "$T/reg.db"
is "never over the register" "$rc/$(cmp -s "$T/reg.db" "$T/before.db" && echo same)" "2/same"
run_minreg export a11 -o "$T/reg.shp" --format shp --where 'no_such=1'
is "a bad filter: nothing written" "$rc/$(ls "$T"/reg.s* 2>/dev/null | wc -l)" "2/0"
run_minreg export minerals -o "$T/m.geojson"
is "a register without boundaries: usage, no file" "$rc/$(test -e "$T/m.geojson" && echo there)" "2/"
run_minreg export a11 --format gpkg
is "a GeoPackage to standard output: refused" "$rc" 2
run_minreg export a11 --format shp -o "$T/x.dat"
is "a shapefile's name ends in .shp" "$rc" 2
run_minreg export a11 -o "$T/p.geojson" --zone 41
is "--zone with GeoJSON: refused (it is in degrees)" "$rc" 2
run_minreg export a11 -o "$T/p.gpkg" --encoding gbk
is "--encoding with a GeoPackage: refused" "$rc" 2
# ---- boundary --import: many records' boundaries, one change ----
"$builddir/tests/bench/geo_gen" 3 >"$T/three.txt"
nchg() { sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_changes"; }
before=$(nchg)
run_minreg boundary a11 --import "$T/three.txt" -m 批量
is "--import: 3 boundaries, one change" "$rc/$(cat "$T/out")/$(($(nchg) - before))" \
   "0/change $((before + 1)) recorded: 3 boundaries set/1"
is "... audited as @boundary of each record" \
   "$(sqlite3 "$T/reg.db" "SELECT group_concat(row_key) FROM (SELECT row_key FROM minreg_audit WHERE change_id = $((before + 1)) AND field = '@boundary' ORDER BY row_id)")" "1,2,3"
run_minreg export a11 -o "$T/after.geojson" --skip-empty
is "... exported with the others: 6 features" \
   "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$T/after.geojson")" 6
run_minreg undo
is "... undone as one" "$rc/$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/3"
sed 's/^5,,3,SYN-3/5,,99,SYN-3/' "$T/three.txt" >"$T/unknown.txt"
cp "$T/reg.db" "$T/before.db"
run_minreg boundary a11 --import "$T/unknown.txt"
is "a parcel naming no record: exit 3, its line, nothing written" \
   "$rc/$(grep -c "unknown.txt:[0-9]*: mining_permits has no record '99'; nothing was written" "$T/err")/$(cmp -s "$T/reg.db" "$T/before.db" && echo same)" \
   "3/1/same"
sed 's/^5,,3,SYN-3/5,,1,SYN-3/' "$T/three.txt" >"$T/twice.txt"
run_minreg boundary a11 --import "$T/twice.txt"
is "a record named twice: exit 3, nothing written" "$rc/$(cmp -s "$T/reg.db" "$T/before.db" && echo same)" "3/same"
run_minreg boundary minerals --import "$T/three.txt"
is "a register without boundaries: usage" "$rc" 2
done_testing
