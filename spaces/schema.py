"""The inventory's tables, fields, units, ranges and vocabularies, declared once."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Vocabularies: code -> (Chinese label, English label). Codes are what data and code use.
TIERS = {
    "room": ("一间房", "Room"),
    "floor": ("一层楼", "Floor"),
    "building": ("一栋楼", "Building"),
    "plot": ("一块地", "Plot"),
}
STATUSES = {
    "available": ("可招商", "Available"),
    "reserved": ("已预留", "Reserved"),
    "leased": ("已出租", "Leased"),
    "under_construction": ("在建", "Under construction"),
    "reserve_land": ("储备用地", "Reserve land"),
}
BUILDING_KINDS = {
    "office": ("商务楼宇", "Commercial office building"),
    "self_built": ("拿地企业自建载体", "Self-built carrier of a land-holding enterprise"),
}
LAND_USES = {
    "research": ("科研设计用地", "Research and design land"),
    "industrial": ("工业用地", "Industrial land"),
    "commercial_office": ("商务办公用地", "Commercial office land"),
    "mixed": ("综合用地", "Mixed-use land"),
}
LAND_STATUSES = {
    "supplied": ("已出让", "Supplied (land-use right granted)"),
    "reserve": ("储备", "Land reserve"),
}
TEAM_STATUSES = {
    "in_place": ("已到位", "In place"),
    "forming": ("组建中", "Forming"),
    "none": ("未组建", "None"),
}
AREAS = {
    "hub": ("枢纽片区", "Hub area"),
    "qianwan": ("前湾片区", "Qianwan area"),
}

# The 41 cities of the Yangtze River Delta (长三角): Shanghai, Jiangsu, Zhejiang, Anhui.
YRD_CITIES = {
    "shanghai": ("上海", "Shanghai"),
    # Jiangsu
    "nanjing": ("南京", "Nanjing"),
    "wuxi": ("无锡", "Wuxi"),
    "xuzhou": ("徐州", "Xuzhou"),
    "changzhou": ("常州", "Changzhou"),
    "suzhou": ("苏州", "Suzhou (Jiangsu)"),
    "nantong": ("南通", "Nantong"),
    "lianyungang": ("连云港", "Lianyungang"),
    "huaian": ("淮安", "Huai'an"),
    "yancheng": ("盐城", "Yancheng"),
    "yangzhou": ("扬州", "Yangzhou"),
    "zhenjiang": ("镇江", "Zhenjiang"),
    "taizhou_js": ("泰州", "Taizhou (Jiangsu)"),
    "suqian": ("宿迁", "Suqian"),
    # Zhejiang
    "hangzhou": ("杭州", "Hangzhou"),
    "ningbo": ("宁波", "Ningbo"),
    "wenzhou": ("温州", "Wenzhou"),
    "jiaxing": ("嘉兴", "Jiaxing"),
    "huzhou": ("湖州", "Huzhou"),
    "shaoxing": ("绍兴", "Shaoxing"),
    "jinhua": ("金华", "Jinhua"),
    "quzhou": ("衢州", "Quzhou"),
    "zhoushan": ("舟山", "Zhoushan"),
    "taizhou_zj": ("台州", "Taizhou (Zhejiang)"),
    "lishui": ("丽水", "Lishui"),
    # Anhui
    "hefei": ("合肥", "Hefei"),
    "huaibei": ("淮北", "Huaibei"),
    "bozhou": ("亳州", "Bozhou"),
    "suzhou_ah": ("宿州", "Suzhou (Anhui)"),
    "bengbu": ("蚌埠", "Bengbu"),
    "fuyang": ("阜阳", "Fuyang"),
    "huainan": ("淮南", "Huainan"),
    "chuzhou": ("滁州", "Chuzhou"),
    "luan": ("六安", "Lu'an"),
    "maanshan": ("马鞍山", "Ma'anshan"),
    "wuhu": ("芜湖", "Wuhu"),
    "xuancheng": ("宣城", "Xuancheng"),
    "tongling": ("铜陵", "Tongling"),
    "chizhou": ("池州", "Chizhou"),
    "anqing": ("安庆", "Anqing"),
    "huangshan": ("黄山", "Huangshan"),
}
DEMAND_STATUSES = {
    "open": ("待匹配", "Open"),
    "matched": ("已匹配", "Matched"),
    "closed": ("已关闭", "Closed"),
}

VOCABULARIES = {
    "tier": TIERS,
    "status": STATUSES,
    "building_kind": BUILDING_KINDS,
    "land_use": LAND_USES,
    "land_status": LAND_STATUSES,
    "team_status": TEAM_STATUSES,
    "area": AREAS,
    "yrd_city": YRD_CITIES,
    "demand_status": DEMAND_STATUSES,
}

# Which tier offers which table's records.
TIER_TABLE = {"room": "rooms", "floor": "floors", "building": "buildings", "plot": "plots"}


@dataclass(frozen=True)
class Field:
    """One column of an inventory table.

    ``kind`` is one of str, int, float, bool, date, geometry. ``vocabulary`` names an entry of
    `VOCABULARIES`, or "units"/"tracks" for the ids configured in settings. ``ref`` names the
    table whose id this field holds. ``public`` fields may be shown to enterprises (the finder,
    its cards and map, shortlists, the supply list); this flag is the only place that says so.
    """

    name: str
    kind: str
    label_zh: str
    label_en: str
    required: bool = False
    unit: str = ""
    min: float | None = None
    max: float | None = None
    vocabulary: str | None = None
    ref: str | None = None
    public: bool = True


@dataclass(frozen=True)
class Table:
    """An inventory table: its id column, fields and (for plots and buildings) geometry type."""

    name: str
    id: str
    label_zh: str
    label_en: str
    fields: tuple[Field, ...]
    geometry: str | None = None

    def field(self, name: str) -> Field:
        """Return the field with this name."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def columns(self) -> list[str]:
        """The non-id, non-geometry column names in order."""
        return [f.name for f in self.fields if f.name != self.id and f.kind != "geometry"]


# Not public: where a record came from, and the readiness inputs (progress, completion and
# acceptance, land readiness), for which enterprises see a carrier's available-from date.
def _provenance() -> tuple[Field, ...]:
    return (
        Field("source", "str", "数据来源", "Source", required=True, public=False),
        Field(
            "approximate", "bool", "位置为示意", "Approximate location", required=True, public=False
        ),
    )


def _progress(name: str, zh: str, en: str) -> Field:
    return Field(name, "float", zh, en, required=True, unit="0–1", min=0.0, max=1.0, public=False)


def _readiness_date(name: str, zh: str, en: str, *, required: bool = False) -> Field:
    return Field(name, "date", zh, en, required=required, public=False)


def _not_public(*fields: Field) -> tuple[Field, ...]:
    return tuple(replace(f, public=False) for f in fields)


def _lab_services() -> tuple[Field, ...]:
    return (
        Field(
            "floor_load_kn_m2",
            "float",
            "楼面荷载",
            "Floor load",
            required=True,
            unit="kN/m²",
            min=1.5,
            max=60.0,
        ),
        Field(
            "clear_height_m",
            "float",
            "净高",
            "Clear height",
            required=True,
            unit="m",
            min=2.2,
            max=30.0,
        ),
        Field("exhaust", "bool", "实验排风", "Lab exhaust", required=True),
        Field("wet_lab_drainage", "bool", "湿实验排水", "Wet-lab drainage", required=True),
        Field(
            "power_kva",
            "float",
            "供电容量",
            "Power",
            required=True,
            unit="kVA",
            min=0.0,
            max=20000.0,
        ),
        Field("clean_room_iso", "int", "洁净室等级(ISO)", "Clean room (ISO class)", min=1, max=9),
    )


PLOTS = Table(
    "plots",
    "plot_id",
    "地块",
    "Plots",
    (
        Field("plot_id", "str", "地块编号", "Plot id", required=True),
        Field("name", "str", "地块名称", "Plot name", required=True),
        Field("land_use", "str", "用地性质", "Land use", required=True, vocabulary="land_use"),
        Field(
            "land_status", "str", "土地状态", "Land status", required=True, vocabulary="land_status"
        ),
        Field("far", "float", "容积率", "Floor area ratio", min=0.1, max=10.0),
        _readiness_date("land_ready_planned", "计划净地交付日期", "Land ready (planned)"),
        _readiness_date("land_ready_actual", "实际净地交付日期", "Land ready (actual)"),
        _progress("facilities_progress", "配套设施进度", "Supporting facilities progress"),
        Field(
            "responsible_unit",
            "str",
            "责任单位",
            "Responsible unit",
            required=True,
            vocabulary="units",
        ),
        Field("operator", "str", "土地权利人/运营方", "Land holder / operator", required=True),
        *_provenance(),
        Field("geometry", "geometry", "地块范围", "Plot outline", required=True),
    ),
    geometry="Polygon",
)

BUILDINGS = Table(
    "buildings",
    "building_id",
    "楼栋",
    "Buildings",
    (
        Field("building_id", "str", "楼栋编号", "Building id", required=True),
        Field("plot_id", "str", "所在地块", "Plot", ref="plots"),
        Field("name", "str", "楼栋名称", "Building name", required=True),
        Field("address", "str", "地址", "Address"),
        Field("kind", "str", "载体类型", "Carrier type", required=True, vocabulary="building_kind"),
        Field("height_m", "float", "建筑高度", "Building height", unit="m", min=3.0, max=400.0),
        _progress("construction_progress", "建设进度", "Construction progress"),
        _readiness_date(
            "planned_completion", "计划竣工日期", "Completion (planned)", required=True
        ),
        _readiness_date("actual_completion", "实际竣工日期", "Completion (actual)"),
        _readiness_date(
            "planned_acceptance", "计划竣工验收日期", "Acceptance (planned)", required=True
        ),
        _readiness_date("actual_acceptance", "实际竣工验收日期", "Acceptance (actual)"),
        _progress("facilities_progress", "配套设施进度", "Supporting facilities progress"),
        Field(
            "responsible_unit",
            "str",
            "责任单位",
            "Responsible unit",
            required=True,
            vocabulary="units",
        ),
        Field("operator", "str", "运营方", "Operator", required=True),
        *_provenance(),
        Field("geometry", "geometry", "建筑轮廓", "Footprint", required=True),
    ),
    geometry="Polygon",
)

FLOORS = Table(
    "floors",
    "floor_id",
    "楼层",
    "Floors",
    (
        Field("floor_id", "str", "楼层编号", "Floor id", required=True),
        Field("building_id", "str", "所在楼栋", "Building", required=True, ref="buildings"),
        Field("level", "int", "楼层", "Level", required=True, min=-6, max=150),
        Field(
            "usable_area_m2",
            "float",
            "使用面积",
            "Usable area",
            required=True,
            unit="m²",
            min=10.0,
            max=200000.0,
        ),
        *_lab_services(),
    ),
)

ROOMS = Table(
    "rooms",
    "room_id",
    "房间",
    "Rooms",
    (
        Field("room_id", "str", "房间编号", "Room id", required=True),
        Field("floor_id", "str", "所在楼层", "Floor", required=True, ref="floors"),
        Field("number", "str", "房号", "Room number", required=True),
        Field(
            "usable_area_m2",
            "float",
            "使用面积",
            "Usable area",
            required=True,
            unit="m²",
            min=5.0,
            max=20000.0,
        ),
    ),
)

# Service teams are the district's own organisation: none of their fields is public.
SERVICE_TEAMS = Table(
    "service_teams",
    "team_id",
    "企业服务团队",
    "Service teams",
    _not_public(
        Field("team_id", "str", "团队编号", "Team id", required=True),
        Field("name", "str", "团队名称", "Team name", required=True),
        Field(
            "responsible_unit",
            "str",
            "责任单位",
            "Responsible unit",
            required=True,
            vocabulary="units",
        ),
        Field("status", "str", "组建状态", "Status", required=True, vocabulary="team_status"),
        Field("ready_date", "date", "计划到位日期", "Ready by (planned)"),
        Field(
            "capacity",
            "int",
            "服务能力(载体数)",
            "Capacity (carriers)",
            required=True,
            min=0,
            max=100000,
        ),
        Field("lead", "str", "负责人", "Lead"),
    ),
)

CARRIERS = Table(
    "carriers",
    "carrier_id",
    "载体",
    "Carriers",
    (
        Field("carrier_id", "str", "载体编号", "Carrier id", required=True),
        Field("tier", "str", "载体梯度", "Tier", required=True, vocabulary="tier"),
        Field("target_id", "str", "对应对象编号", "Offered object", required=True),
        Field("status", "str", "状态", "Status", required=True, vocabulary="status"),
        Field("rent_yuan_m2_day", "float", "租金", "Rent", unit="元/m²/天", min=0.5, max=50.0),
        Field("available_from", "date", "可入驻日期", "Available from"),
        Field(
            "service_team_id",
            "str",
            "企业服务团队",
            "Service team",
            ref="service_teams",
            public=False,
        ),
        Field("track", "str", "赛道", "Track", vocabulary="tracks"),
        Field("tenant", "str", "入驻/意向企业", "Tenant or prospect", public=False),
        Field("note", "str", "备注", "Note", public=False),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (PLOTS, BUILDINGS, FLOORS, ROOMS, SERVICE_TEAMS, CARRIERS)
}

# A carrier list (finder results, shortlists, the supply list, a card's carriers): columns of
# the flat carrier table (`spaces.rollup.carrier_table`) in order, each with the field it
# shows. Columns that are no field of a stored table (the display name, the area of the zone,
# the building's kind) are declared here. Enterprises get the columns whose field is public.
CARRIER_LIST = Table(
    "carrier_list",
    "carrier_id",
    "载体清单",
    "Carrier list",
    (
        CARRIERS.field("carrier_id"),
        Field("name", "str", "载体名称", "Carrier"),
        CARRIERS.field("tier"),
        CARRIERS.field("status"),
        Field("area", "str", "所在片区", "Area of the zone", vocabulary="area"),
        Field("building_kind", "str", "载体类型", "Carrier type", vocabulary="building_kind"),
        FLOORS.field("level"),
        FLOORS.field("usable_area_m2"),
        *_lab_services(),
        CARRIERS.field("rent_yuan_m2_day"),
        CARRIERS.field("available_from"),
        CARRIERS.field("track"),
        BUILDINGS.field("operator"),
        CARRIERS.field("service_team_id"),
        CARRIERS.field("tenant"),
        CARRIERS.field("note"),
    ),
)


# The demand list (需求清单): what enterprises of the Yangtze River Delta ask for. Kept apart
# from `TABLES`, which is the carrier inventory. No field is public: enterprises never see it.
DEMANDS = Table(
    "demands",
    "demand_id",
    "需求",
    "Demands",
    (
        Field("demand_id", "str", "需求编号", "Demand id", required=True, public=False),
        Field("enterprise", "str", "企业名称", "Enterprise", required=True, public=False),
        Field(
            "home_city",
            "str",
            "企业所在城市",
            "Home city",
            required=True,
            vocabulary="yrd_city",
            public=False,
        ),
        Field("track", "str", "赛道", "Track", vocabulary="tracks", public=False),
        Field("tier", "str", "需求梯度", "Tier wanted", vocabulary="tier", public=False),
        Field(
            "area_min_m2",
            "float",
            "最小面积",
            "Area from",
            unit="m²",
            min=5.0,
            max=2000000.0,
            public=False,
        ),
        Field(
            "area_max_m2",
            "float",
            "最大面积",
            "Area up to",
            unit="m²",
            min=5.0,
            max=2000000.0,
            public=False,
        ),
        Field("needed_by", "date", "需求日期", "Needed by", public=False),
        Field(
            "min_floor_load_kn_m2",
            "float",
            "最低楼面荷载",
            "Min floor load",
            unit="kN/m²",
            min=0.0,
            max=60.0,
            public=False,
        ),
        Field(
            "min_clear_height_m",
            "float",
            "最低净高",
            "Min clear height",
            unit="m",
            min=0.0,
            max=30.0,
            public=False,
        ),
        Field(
            "track_specs",
            "bool",
            "需满足赛道标准",
            "Needs its track's specifications",
            public=False,
        ),
        Field("exhaust", "bool", "需要实验排风", "Needs lab exhaust", public=False),
        Field("wet_lab_drainage", "bool", "需要湿实验排水", "Needs wet-lab drainage", public=False),
        Field(
            "min_power_kva",
            "float",
            "最低供电容量",
            "Min power",
            unit="kVA",
            min=0.0,
            max=20000.0,
            public=False,
        ),
        Field(
            "max_clean_room_iso",
            "int",
            "洁净室等级(ISO)不低于",
            "Clean room (ISO class) at most",
            min=1,
            max=9,
            public=False,
        ),
        Field(
            "max_rent_yuan_m2_day",
            "float",
            "租金上限",
            "Rent up to",
            unit="元/m²/天",
            min=0.5,
            max=50.0,
            public=False,
        ),
        Field("area", "str", "意向片区", "Preferred area", vocabulary="area", public=False),
        Field("contact", "str", "联系人及电话", "Contact", public=False),
        Field(
            "status",
            "str",
            "需求状态",
            "Status",
            required=True,
            vocabulary="demand_status",
            public=False,
        ),
        Field("source", "str", "数据来源", "Source", public=False),
        Field("note", "str", "备注", "Note", public=False),
    ),
)


def table_named(name: str) -> Table | None:
    """The inventory table or the demand table called ``name``; None if there is none."""
    if name == DEMANDS.name:
        return DEMANDS
    return TABLES.get(name)
