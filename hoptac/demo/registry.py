"""A realistic, deterministic demo registry for former Nam Định (now part of Ninh Bình).

Everything comes from one `random.Random(seed)`: the same seed and scale give the same registry.
Organisations sit in the real communes of the pre-2025 map (loaded by `load_admin_units`), and
`commune_current` is the commune's successor on the 2025 map. The counts are calibrated on the
published figures (domain brief §4.2 and §6.5):

* 456 HTX on the books at end-2020, 553 at end-2024 (31 of them new in 2024), a few more in 2025;
* about 418 agricultural HTX at end-2024 with over 314,000 members; 2 LHHTX; about 2,000 THT at
  end-2024 but only 60 notified by 2020; about 20 people's credit funds;
* about 377,000 members in all at end-2024;
* in 2020: 71 HTX linked with enterprises (69 agricultural), 30 in value chains, 20 high-tech.

Names of people, partner companies and most organisations are invented; the seven model HTX named
in the press (Nghĩa Bình, Đình Mộc, Khang Tường, Tuấn Hiệp, Nam Cường, Yên Lợi, Vạn Xuân Trường) keep
their real names but every figure attached to them is invented too.
"""

import datetime
import math
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hoptac.accounts.models import Role
from hoptac.areas.models import MAP_SWITCH_DATE, AdminMap, AdminUnit, Level
from hoptac.areas.selectors import commune_successor
from hoptac.core.text import fold, sort_key
from hoptac.registry.choices import EXISTING_STATUSES, LegalStatus, OrganisationKind, Sector, SubSector
from hoptac.registry.models import Organisation, StatusChange, YearlyReport, status_periods_refresh

D = datetime.date
_T = TypeVar("_T")
DEMO_SEED = 139
DEMO_PASSWORD = "hoptac-demo-2025"
LOADER_USERNAME = "demo_loader"
LEGACY_PROVINCE_CODE = "36"
YEARS = range(2020, 2026)
# Generated dates never go past this day (nor past today), so a seed gives the same data on any
# day after it.
DEMO_HORIZON = D(2026, 6, 30)
LAW_2012_DEADLINE = D(2016, 7, 1)  # HTX founded before Luật HTX 2012 had to reorganise by then
BATCH = 500
SEARCH_NAME = "Hợp tác xã Hải Anh"  # exactly one organisation has this name (search tests)

# ---------------------------------------------------------------------------------------------
# Published figures and the plan derived from them (counts at scale 1).

HTX_EXISTING_2020 = 456
HTX_EXISTING_2024 = 553
HTX_NEW = {2021: 22, 2022: 26, 2023: 30, 2024: 31, 2025: 9}  # 2021–2023 recomputed to hit 553
HTX_NEW_2025_AFTER_SWITCH = 3
HTX_DISSOLVED = {2021: 4, 2022: 3, 2023: 3, 2024: 2}
HTX_DISSOLVED_BEFORE_2021 = 45
HTX_FATES = {  # how many of the HTX existing at end-2020 follow each path
    "dissolved_2025": 3,
    "dissolving_now": 2,
    "not_reorganised": 7,
    "reorganised": 10,
    "suspended_now": 4,
    "stopped_now": 6,
    "suspended_then_active": 15,
}
HTX_FROM_THT = {2021: 3, 2022: 5, 2023: 6, 2024: 4, 2025: 2}
AGRI_HTX_2024 = 418
THT_EXISTING_2020 = 60
THT_EXISTING_2024 = 2000
THT_ENDED_BEFORE_2021 = 8
THT_ENDED = {2021: 10, 2022: 25, 2023: 40, 2024: 45, 2025: 30}
THT_NEW_SHARE = {2021: 0.18, 2022: 0.26, 2023: 0.29, 2024: 0.27}
THT_NEW_2025 = 90
QTDND_COUNT = 20
MEMBERS_AGRI_HTX_2024 = 316_500  # published: "over 314,000"
MEMBERS_ALL_2024 = 377_000  # published: "376.8 nghìn"
ENTERPRISE_LINK = {2020: 71, 2021: 78, 2022: 86, 2023: 94, 2024: 102, 2025: 108}
ENTERPRISE_LINK_AGRI_2020 = 69
VALUE_CHAIN = {2020: 30, 2021: 36, 2022: 43, 2023: 51, 2024: 60, 2025: 64}
HIGH_TECH = {2020: 20, 2021: 25, 2022: 31, 2023: 38, 2024: 45, 2025: 48}
OCOP = {2020: 12, 2021: 20, 2022: 30, 2023: 41, 2024: 52, 2025: 60}

# ---------------------------------------------------------------------------------------------
# Demo users (printed by `manage.py demo_logins`).


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    role_label: str
    scope_label: str
    last_name: str
    first_name: str
    agency: str = ""  # the agency's name; `load_demo_tasks` links the user to it (hoptac.tasks.demo)
    areas: tuple[tuple[str, str, str], ...] = ()  # (map, level, code)
    organisation_name: str = ""
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "admin",
        Role.ADMIN,
        "Quản trị hệ thống",
        "Toàn bộ hệ thống (kèm trang quản trị /admin/)",
        "Quản trị",
        "Hệ thống",
        superuser=True,
    ),
    DemoUser(
        "tinh",
        Role.PROVINCE,
        "Cán bộ cấp tỉnh",
        "Toàn tỉnh: Nam Định cũ, nay thuộc tỉnh Ninh Bình",
        "Trần Thị",
        "Hương",
        agency="Sở Tài chính tỉnh Ninh Bình",
        areas=((AdminMap.LEGACY, Level.PROVINCE, LEGACY_PROVINCE_CODE),),
    ),
    DemoUser(
        "xa_haihau",
        Role.COMMUNE,
        "Cán bộ cấp xã",
        "Xã Hải Minh, Xã Hải Anh, Xã Hải Đường (huyện Hải Hậu, bản đồ trước 1/7/2025)",
        "Phạm Văn",
        "Thắng",
        agency="UBND huyện Hải Hậu",
        areas=(
            (AdminMap.LEGACY, Level.COMMUNE, "14233"),
            (AdminMap.LEGACY, Level.COMMUNE, "14236"),
            (AdminMap.LEGACY, Level.COMMUNE, "14260"),
        ),
    ),
    DemoUser(
        "xa_haianh",
        Role.COMMUNE,
        "Cán bộ cấp xã",
        "Xã Hải Anh (bản đồ từ 1/7/2025)",
        "Vũ Thị",
        "Lan",
        agency="UBND xã Hải Anh",
        areas=((AdminMap.CURRENT, Level.COMMUNE, "14236"),),
    ),
    DemoUser(
        "daidien",
        Role.REPRESENTATIVE,
        "Đại diện hợp tác xã",
        "Hợp tác xã Dịch vụ nông nghiệp Hải Anh",
        "Nguyễn Văn",
        "Hùng",
        organisation_name="Hợp tác xã Dịch vụ nông nghiệp Hải Anh",
    ),
    DemoUser(
        "xem",
        Role.VIEWER,
        "Người xem (chỉ đọc)",
        "Toàn tỉnh, chỉ xem",
        "Đỗ Minh",
        "Quân",
        agency="Liên minh Hợp tác xã tỉnh",
    ),
)

# ---------------------------------------------------------------------------------------------
# Names and words.

FAMILY_NAMES = {
    "Nguyễn": 30, "Trần": 11, "Phạm": 11, "Vũ": 8, "Đỗ": 5, "Lê": 5, "Bùi": 5, "Hoàng": 3,
    "Đặng": 3, "Ngô": 2, "Đinh": 2, "Mai": 2, "Đào": 2, "Đoàn": 2, "Lương": 1, "Phan": 1,
    "Trịnh": 1, "Triệu": 1, "Hà": 1, "Cao": 1, "Tô": 1, "Lại": 1,
}  # fmt: skip
MIDDLE_MALE = {"Văn": 40, "Đức": 8, "Minh": 6, "Hữu": 6, "Quang": 5, "Xuân": 5, "Ngọc": 4, "Thanh": 4,
               "Công": 4, "Đình": 4, "Bá": 2, "Trọng": 3, "Tiến": 2, "Mạnh": 2, "Duy": 2}  # fmt: skip
MIDDLE_FEMALE = {"Thị": 60, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Minh": 3, "Hồng": 5, "Phương": 3,
                 "Kim": 3, "Thúy": 2}  # fmt: skip
GIVEN_MALE = [
    "Hùng", "Dũng", "Cường", "Thắng", "Hải", "Nam", "Tuấn", "Long", "Hưng", "Toàn", "Thành", "Trung",
    "Sơn", "Bình", "Khánh", "Quân", "Hòa", "Tâm", "Phong", "Hiếu", "Đạt", "Lâm", "Tùng", "Việt",
    "Thịnh", "Hoàng", "Quyết", "Mạnh", "Chiến", "Lợi", "Kiên", "Vinh", "Định", "Tiến", "Huy", "Điệp",
]  # fmt: skip
GIVEN_FEMALE = [
    "Lan", "Hương", "Hoa", "Hạnh", "Huyền", "Nga", "Thủy", "Mai", "Loan", "Dung", "Hằng", "Yến",
    "Liên", "Thảo", "Nhung", "Phượng", "Oanh", "Vân", "Hà", "Trang", "Tuyết", "Thu", "Lý", "Tâm",
]  # fmt: skip
MOBILE_PREFIXES = {"091": 8, "094": 6, "098": 8, "097": 7, "096": 5, "090": 4, "093": 3, "088": 2,
                   "086": 2, "083": 1, "084": 1, "085": 1, "035": 1, "036": 1, "038": 1, "039": 1}  # fmt: skip
CITY_STREETS = [
    "Trần Hưng Đạo", "Hàn Thuyên", "Điện Biên", "Trường Chinh", "Hùng Vương", "Văn Cao",
    "Lê Hồng Phong", "Giải Phóng", "Đông A", "Trần Nhân Tông", "Nguyễn Du", "Mạc Thị Bưởi",
]  # fmt: skip
DIRECTIONS = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ"]

# Name types of HTX per sector / sub-sector: (type, weight, abbreviation for the short name).
HTX_TYPES: dict[str, list[tuple[str, float, str]]] = {
    SubSector.GENERAL_SERVICES: [
        ("Dịch vụ nông nghiệp", 50, "DVNN"),
        ("Nông nghiệp", 18, "NN"),
        ("Dịch vụ nông nghiệp tổng hợp", 10, "DVNN TH"),
        ("Dịch vụ tổng hợp", 14, "DVTH"),
        ("Sản xuất kinh doanh dịch vụ nông nghiệp", 8, "SXKD DVNN"),
    ],
    SubSector.CROPS: [
        ("Sản xuất rau an toàn", 4, "SX rau an toàn"),
        ("Sản xuất lúa giống", 3, "SX lúa giống"),
        ("Trồng trọt", 2, ""),
        ("Sản xuất và tiêu thụ lúa gạo", 3, ""),
        ("Nông nghiệp công nghệ cao", 3, "NN CNC"),
        ("Trồng hoa cây cảnh", 2, ""),
        ("Sản xuất nấm", 1, ""),
        ("Trồng cây dược liệu", 1, ""),
        ("Sản xuất lúa hữu cơ", 2, ""),
    ],
    SubSector.LIVESTOCK: [
        ("Chăn nuôi", 4, "CN"),
        ("Chăn nuôi lợn", 2, ""),
        ("Chăn nuôi gia cầm", 2, ""),
        ("Chăn nuôi an toàn sinh học", 2, ""),
        ("Nuôi ong mật", 1, ""),
        ("Chăn nuôi và dịch vụ thú y", 1, ""),
    ],
    SubSector.AQUACULTURE: [
        ("Nuôi trồng thủy sản", 5, "NTTS"),
        ("Nuôi ngao", 3, ""),
        ("Khai thác hải sản", 2, "KTHS"),
        ("Dịch vụ nghề cá", 1, ""),
        ("Nuôi tôm công nghệ cao", 1, ""),
        ("Thủy sản", 2, "TS"),
    ],
    SubSector.SALT: [("Muối", 4, ""), ("Sản xuất muối", 3, "SX muối"), ("Diêm nghiệp", 2, "")],
    Sector.INDUSTRY_HANDICRAFT: [
        ("Tiểu thủ công nghiệp", 4, "TTCN"),
        ("Mây tre đan", 2, ""),
        ("Thêu ren", 1, ""),
        ("Cơ khí", 2, ""),
        ("Dệt may", 2, ""),
        ("Mộc mỹ nghệ", 2, ""),
        ("Chế biến nông sản", 3, ""),
        ("Chế biến thủy sản", 1, ""),
        ("Sản xuất nước mắm", 1, ""),
        ("Thủ công mỹ nghệ", 2, "TCMN"),
    ],
    Sector.TRADE_SERVICES: [
        ("Thương mại dịch vụ", 5, "TMDV"),
        ("Dịch vụ thương mại", 2, "DVTM"),
        ("Kinh doanh dịch vụ tổng hợp", 2, "KDDV TH"),
        ("Dịch vụ điện năng", 2, "DV điện"),
        ("Dịch vụ chợ", 1, ""),
    ],
    Sector.TRANSPORT: [("Vận tải", 4, ""), ("Vận tải thủy", 2, ""), ("Dịch vụ vận tải", 2, "DVVT")],
    Sector.CONSTRUCTION: [("Xây dựng", 4, "XD"), ("Xây dựng và dịch vụ", 2, "")],
    Sector.ENVIRONMENT: [
        ("Dịch vụ môi trường", 4, "DVMT"),
        ("Vệ sinh môi trường", 3, "VSMT"),
        ("Nước sạch và môi trường", 1, ""),
    ],
    Sector.HOUSING: [("Nhà ở", 1, ""), ("Phát triển nhà ở", 1, "")],
    Sector.OTHER: [
        ("Du lịch cộng đồng", 2, ""),
        ("Dịch vụ du lịch sinh thái", 1, ""),
        ("Đào tạo nghề", 1, ""),
    ],
}
THT_ACTIVITIES: dict[str, list[str]] = {
    SubSector.CROPS: [
        "sản xuất rau an toàn", "trồng lúa chất lượng cao", "sản xuất lúa giống", "trồng nấm",
        "trồng hoa cây cảnh", "trồng cây dược liệu", "trồng cây ăn quả", "sản xuất lúa hữu cơ",
    ],
    SubSector.LIVESTOCK: ["chăn nuôi", "chăn nuôi lợn", "nuôi gà", "nuôi vịt", "nuôi ong", "nuôi bò"],
    SubSector.AQUACULTURE: ["nuôi ngao", "nuôi tôm", "nuôi cá", "khai thác hải sản", "đánh bắt thủy sản"],
    SubSector.SALT: ["làm muối", "sản xuất muối sạch"],
    SubSector.GENERAL_SERVICES: [
        "dịch vụ làm đất", "dịch vụ cấy bằng máy", "dịch vụ gặt đập", "dịch vụ bảo vệ thực vật",
        "dịch vụ nông nghiệp",
    ],
    Sector.INDUSTRY_HANDICRAFT: [
        "mây tre đan", "thêu ren", "may công nghiệp", "cơ khí", "mộc dân dụng", "chế biến nông sản",
        "dệt chiếu",
    ],
    Sector.TRADE_SERVICES: ["dịch vụ thương mại", "kinh doanh vật tư nông nghiệp"],
    Sector.ENVIRONMENT: ["thu gom rác thải", "vệ sinh môi trường"],
    Sector.CONSTRUCTION: ["xây dựng", "thợ nề"],
    Sector.TRANSPORT: ["vận tải", "vận tải thủy"],
    Sector.OTHER: ["du lịch cộng đồng", "dịch vụ văn hóa"],
}  # fmt: skip
# Invented partner companies (no real firm is named as anyone's partner).
PARTNERS: dict[str, list[str]] = {
    "rice": [
        "Công ty CP Giống cây trồng Sông Hồng", "Công ty TNHH Gạo sạch Thiên Trường",
        "Công ty CP Nông sản Thành Nam", "Công ty TNHH Lương thực Đồng Bằng Bắc Bộ",
    ],
    SubSector.LIVESTOCK: ["Công ty CP Thức ăn chăn nuôi Hồng Hà", "Công ty TNHH Thực phẩm sạch Nam Hà"],
    SubSector.AQUACULTURE: [
        "Công ty TNHH Thủy sản Biển Xanh Giao Thủy", "Công ty CP Chế biến hải sản Cửa Đáy",
        "Công ty TNHH Ngao sạch Đồng Bằng",
    ],
    SubSector.SALT: ["Công ty CP Muối sạch Bạch Long", "Công ty TNHH Muối biển Thịnh Long"],
    "other": ["Công ty TNHH Thương mại Vị Hoàng", "Công ty CP Xuất nhập khẩu Nam Ninh"],
}  # fmt: skip
SUPPORT_NOTES = [
    "Hỗ trợ xây dựng kết cấu hạ tầng (nhà kho, sân phơi)",
    "Hỗ trợ mua máy làm đất, máy gặt đập liên hợp",
    "Hỗ trợ đưa lao động trẻ về làm việc tại hợp tác xã",
    "Hỗ trợ đào tạo, bồi dưỡng cán bộ quản lý",
    "Hỗ trợ xúc tiến thương mại, tham gia hội chợ",
    "Hỗ trợ xây dựng nhãn hiệu, bao bì sản phẩm OCOP",
    "Hỗ trợ ứng dụng tiến bộ kỹ thuật, giống mới",
    "Hỗ trợ lãi suất vốn vay từ Quỹ hỗ trợ phát triển hợp tác xã",
    "Hỗ trợ xây dựng kho lạnh bảo quản nông sản",
    "Hỗ trợ chuyển đổi số, phần mềm kế toán",
]

# HTX counts by district in 2009 (GSO Nam Định, p.173; Mỹ Lộc counted with TP Nam Định).
DISTRICT_WEIGHTS = {
    "Nam Định": 43, "Vụ Bản": 35, "Ý Yên": 59, "Nghĩa Hưng": 40, "Nam Trực": 49,
    "Trực Ninh": 56, "Xuân Trường": 36, "Giao Thủy": 37, "Hải Hậu": 68,
}  # fmt: skip
COASTAL = {
    "Giao Thủy": ["Giao Thiện", "Giao An", "Giao Lạc", "Giao Xuân", "Giao Hải", "Giao Long", "Bạch Long",
                  "Giao Phong", "Giao Hương", "Quất Lâm"],
    "Nghĩa Hưng": ["Nghĩa Hải", "Nghĩa Lợi", "Nghĩa Thành", "Phúc Thắng", "Nam Điền", "Rạng Đông",
                   "Nghĩa Hùng"],
    "Hải Hậu": ["Hải Đông", "Hải Lộc", "Hải Quang", "Hải Hòa", "Hải Châu", "Thịnh Long", "Hải Xuân"],
}  # fmt: skip
SALT = {
    "Hải Hậu": ["Hải Đông", "Hải Lộc", "Hải Quang", "Hải Hòa", "Hải Châu"],
    "Giao Thủy": ["Bạch Long", "Giao Phong", "Giao Hải"],
    "Nghĩa Hưng": ["Nghĩa Hải", "Phúc Thắng"],
}
# Fixed HTX: the two Hải Hậu HTX the demo users and search tests rely on, and the model HTX named in
# the press: (name, district, commune, sub-sector, is a model HTX).
FIXED_HTX = [
    ("Hợp tác xã Dịch vụ nông nghiệp Hải Anh", "Hải Hậu", "Hải Anh", SubSector.GENERAL_SERVICES, False),
    (SEARCH_NAME, "Hải Hậu", "Hải Minh", SubSector.GENERAL_SERVICES, False),
    ("Hợp tác xã Nông nghiệp Nghĩa Bình", "Nghĩa Hưng", "Nghĩa Thái", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Đình Mộc", "Giao Thủy", "Giao Tân", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Khang Tường", "Giao Thủy", "Giao An", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Tuấn Hiệp", "Giao Thủy", "Hồng Thuận", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Nam Cường", "Ý Yên", "Yên Cường", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Yên Lợi", "Ý Yên", "Yên Mỹ", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Vạn Xuân Trường", "Vụ Bản", "Hiển Khánh", SubSector.GENERAL_SERVICES, True),
    ("Hợp tác xã Muối Văn Lý", "Hải Hậu", "Hải Quang", SubSector.SALT, False),
]
SHORT_NAMES = {
    "Hợp tác xã Muối Văn Lý": "HTX Muối Văn Lý",
    SEARCH_NAME: "HTX Hải Anh",
    "Hợp tác xã Dịch vụ nông nghiệp Hải Anh": "HTX DVNN Hải Anh",
}
QTDND_PLACES = [  # (district, commune) of the people's credit funds
    ("Xuân Trường", "Xuân Trường"), ("Hải Hậu", "Yên Định"), ("Hải Hậu", "Hải Phong"),
    ("Giao Thủy", "Quất Lâm"), ("Giao Thủy", "Giao Tiến"), ("Nghĩa Hưng", "Liễu Đề"),
    ("Nghĩa Hưng", "Nghĩa Lâm"), ("Trực Ninh", "Cổ Lễ"), ("Trực Ninh", "Trực Hùng"),
    ("Nam Trực", "Nam Giang"), ("Nam Trực", "Nam Thanh"), ("Ý Yên", "Lâm"), ("Ý Yên", "Yên Bình"),
    ("Vụ Bản", "Gôi"), ("Vụ Bản", "Liên Minh"), ("Nam Định", "Lộc Hạ"), ("Nam Định", "Mỹ Thắng"),
    ("Hải Hậu", "Hải Tây"), ("Xuân Trường", "Xuân Ninh"), ("Giao Thủy", "Giao Yến"),
    ("Trực Ninh", "Trực Thái"), ("Nam Trực", "Đồng Sơn"),
]  # fmt: skip


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the administrative map is missing)."""


@dataclass
class DemoResult:
    reused: bool
    organisations: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    status_changes: int = 0
    reports: int = 0
    users: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------
# Plans: everything about one organisation, decided before anything is written.


@dataclass
class _Plan:
    kind: str
    registration: datetime.date
    founding: datetime.date
    statuses: list[tuple[str, datetime.date]]
    era: str = "new"  # "converted" (re-registered under Luật HTX 1996), "old" or "new"
    sector: str = ""
    sub_sector: str = ""
    legacy: AdminUnit | None = None
    current: AdminUnit | None = None
    fixed_name: str = ""
    fixed: bool = False
    model: bool = False
    union: "_Plan | None" = None
    converted_from: "_Plan | None" = None
    after_switch: bool = False
    name: str = ""
    short_name: str = ""
    notes: str = ""
    report_years: list[int] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)  # indicator -> first year
    members_base: float = 0.0
    obj: Organisation | None = None

    def status_on(self, day: datetime.date) -> str | None:
        status = None
        for value, start in self.statuses:
            if start > day:
                break
            status = value
        return status

    def exists_on(self, day: datetime.date) -> bool:
        return self.status_on(day) in EXISTING_STATUSES

    @property
    def last_status_date(self) -> datetime.date:
        return self.statuses[-1][1]

    @property
    def place(self) -> AdminUnit:
        place = self.legacy or self.current
        assert place is not None, "placed by _set_place() first"
        return place

    @property
    def organisation(self) -> Organisation:
        assert self.obj is not None, "built by _reports() first"
        return self.obj

    @property
    def agri(self) -> bool:
        return self.sector == Sector.AGRICULTURE


class _Rand:
    """Helpers over one `random.Random`."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.r.randint(0, (end - start).days))

    def weighted(self, options: dict | Sequence[tuple]):
        if isinstance(options, dict):
            items, weights = list(options), list(options.values())
        else:
            items, weights = [o[0] for o in options], [o[1] for o in options]
        return self.r.choices(items, weights)[0]

    def lognormal(self, median: float, sigma: float, low: float = 0.0, high: float = math.inf) -> float:
        return min(high, max(low, self.r.lognormvariate(math.log(median), sigma)))

    def pick(self, items: list[_T], k: int, weight: Callable[[_T], float] | None = None) -> list[_T]:
        """k distinct items, weighted (Efraimidis–Spirakis), in a deterministic order."""
        if k <= 0 or not items:
            return []
        keyed = []
        for index, item in enumerate(items):
            w = weight(item) if weight else 1.0
            if w <= 0:
                continue
            keyed.append((self.r.random() ** (1.0 / w), index, item))
        keyed.sort(key=lambda t: (-t[0], t[1]))
        return [item for _k, _i, item in keyed[:k]]


def _scaled(value: float, scale: float) -> int:
    return int(round(value * scale))


def _after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


# ---------------------------------------------------------------------------------------------
# Areas.


@dataclass
class _Areas:
    communes: list[AdminUnit]
    by_place: dict[tuple[str, str], AdminUnit]
    successor: dict[int, AdminUnit]
    district_of: dict[int, str]
    weights: dict[int, float]  # base weight of each commune (district weight / its size)

    def kind(self, unit: AdminUnit) -> str:
        return {"Phường": "ward", "Thị trấn": "town"}.get(unit.unit_type, "rural")

    def in_lists(self, lists: dict[str, list[str]]) -> list[AdminUnit]:
        return [self.by_place[(d, c)] for d, names in lists.items() for c in names if (d, c) in self.by_place]


def _load_areas() -> _Areas:
    communes = list(
        AdminUnit.objects.filter(
            map=AdminMap.LEGACY, level=Level.COMMUNE, province__code=LEGACY_PROVINCE_CODE
        )
        .select_related("parent")
        .order_by("code")
    )
    if not communes:
        raise DemoError(
            "Chưa có bản đồ hành chính của tỉnh Nam Định cũ: chạy `manage.py load_admin_units` trước."
        )
    successor: dict[int, AdminUnit] = {}
    for commune in communes:
        new = commune_successor(old_commune=commune)
        if new is None:
            raise DemoError(f"{commune} chưa có xã kế thừa trên bản đồ từ 1/7/2025.")
        successor[commune.pk] = new
    district_of = {c.pk: c.parent.short_name for c in communes}
    sizes: dict[str, int] = {}
    for name in district_of.values():
        sizes[name] = sizes.get(name, 0) + 1
    weights = {c.pk: DISTRICT_WEIGHTS.get(district_of[c.pk], 40) / sizes[district_of[c.pk]] for c in communes}
    by_place = {(district_of[c.pk], c.short_name): c for c in communes}
    return _Areas(communes, by_place, successor, district_of, weights)


# ---------------------------------------------------------------------------------------------
# Timelines: when each organisation was founded and how its legal status moved.


def _new_in_year(rnd: _Rand, kind: str, year: int, horizon: datetime.date, after_switch=False) -> _Plan:
    if year == 2025 and after_switch:
        founding = rnd.date(_after(MAP_SWITCH_DATE, 1), min(D(2025, 11, 25), _after(horizon, -30)))
    elif year == 2025:
        founding = rnd.date(D(2025, 1, 3), D(2025, 6, 5))
    else:
        founding = rnd.date(D(year, 1, 3), D(year, 11, 25))
    registration = _after(founding, rnd.r.randint(3, 25))
    plan = _Plan(kind, registration, founding, [(LegalStatus.ACTIVE, registration)])
    plan.after_switch = after_switch
    return plan


def _dissolve(rnd: _Rand, plan: _Plan, dissolved: datetime.date, lead=(60, 300)) -> None:
    dissolving = max(_after(plan.last_status_date, 20), _after(dissolved, -rnd.r.randint(*lead)))
    if dissolving >= dissolved:
        dissolving = _after(dissolved, -10)
    plan.statuses.append((LegalStatus.DISSOLVING, dissolving))
    plan.statuses.append((LegalStatus.DISSOLVED, dissolved))


def _htx_plans(rnd: _Rand, scale: float, horizon: datetime.date) -> list[_Plan]:
    r = rnd.r
    existing_2020 = _scaled(HTX_EXISTING_2020, scale)
    existing_2024 = _scaled(HTX_EXISTING_2024, scale)
    dissolved = {y: _scaled(n, scale) for y, n in HTX_DISSOLVED.items()}
    new = {y: _scaled(n, scale) for y, n in HTX_NEW.items()}
    middle = existing_2024 - existing_2020 + sum(dissolved.values()) - new[2024]
    share = [HTX_NEW[y] for y in (2021, 2022, 2023)]
    new[2021] = round(middle * share[0] / sum(share))
    new[2022] = round(middle * share[1] / sum(share))
    new[2023] = middle - new[2021] - new[2022]

    def old_registration() -> tuple[datetime.date, datetime.date, str]:
        if r.random() < 0.62:
            registration = rnd.date(D(1997, 1, 15), D(1999, 12, 20))
            if r.random() < 0.7:
                founding = rnd.date(D(1958, 1, 1), D(1990, 12, 31))
            else:
                founding = _after(registration, -r.randint(10, 60))
            return registration, founding, "converted"
        year = rnd.weighted({y: (1.0 if y < 2013 else 1.6 if y < 2017 else 2.2) for y in range(2000, 2021)})
        registration = rnd.date(D(year, 1, 10), D(year, 12, 20))
        return registration, _after(registration, -r.randint(5, 40)), "old"

    plans: list[_Plan] = []
    # HTX dissolved before 2021.
    for _ in range(_scaled(HTX_DISSOLVED_BEFORE_2021, scale)):
        if r.random() < 0.75:
            registration = rnd.date(D(1997, 1, 15), D(1999, 12, 20))
            founding, era = rnd.date(D(1960, 1, 1), D(1990, 12, 31)), "converted"
        else:
            registration = rnd.date(D(2000, 1, 10), D(2012, 12, 20))
            founding, era = _after(registration, -r.randint(5, 40)), "old"
        plan = _Plan(OrganisationKind.HTX, registration, founding, [(LegalStatus.ACTIVE, registration)], era)
        end = rnd.date(max(_after(registration, 3 * 365), D(2002, 1, 1)), D(2020, 11, 30))
        if end > D(2017, 3, 1) and registration < D(2013, 7, 1) and r.random() < 0.6:
            plan.statuses.append((LegalStatus.NOT_REORGANISED, LAW_2012_DEADLINE))
        _dissolve(rnd, plan, end)
        plans.append(plan)

    # HTX on the books at end-2020, each with a fate.
    existing: list[_Plan] = []
    for _ in range(existing_2020):
        registration, founding, era = old_registration()
        existing.append(
            _Plan(OrganisationKind.HTX, registration, founding, [(LegalStatus.ACTIVE, registration)], era)
        )
    pool = existing[:]
    r.shuffle(pool)

    def take(k: int, condition: Callable[[_Plan], bool] = lambda p: True) -> list[_Plan]:
        chosen = [p for p in pool if condition(p)][:k]
        for p in chosen:
            pool.remove(p)
        return chosen

    def before_2013(p: _Plan) -> bool:
        return p.registration < D(2013, 7, 1)

    # The fixed HTX (model cooperatives, Hải Anh) are old, stay active and are named later.
    for plan, spec in zip(
        take(len(FIXED_HTX), lambda p: p.registration < D(2012, 1, 1)), FIXED_HTX, strict=False
    ):
        plan.fixed, plan.model = True, spec[4]
    for year, count in dissolved.items():
        for plan in take(count):
            end = rnd.date(D(year, 1, 10), D(year, 12, 20))
            stop_from, stop_to = max(_after(plan.registration, 400), D(2017, 1, 1)), _after(end, -400)
            if before_2013(plan) and r.random() < 0.6:
                plan.statuses.append((LegalStatus.NOT_REORGANISED, LAW_2012_DEADLINE))
            elif stop_from < stop_to and r.random() < 0.5:
                plan.statuses.append((LegalStatus.STOPPED, rnd.date(stop_from, stop_to)))
            _dissolve(rnd, plan, end)
    fates = {k: _scaled(v, scale) for k, v in HTX_FATES.items()}
    for plan in take(fates["dissolved_2025"]):
        plan.statuses.append((LegalStatus.DISSOLVING, rnd.date(D(2024, 2, 1), D(2024, 11, 30))))
        plan.statuses.append((LegalStatus.DISSOLVED, rnd.date(D(2025, 1, 20), min(D(2025, 11, 30), horizon))))
    for plan in take(fates["dissolving_now"]):
        plan.statuses.append((LegalStatus.DISSOLVING, rnd.date(D(2025, 2, 1), _after(horizon, -30))))
    for plan in take(fates["not_reorganised"], before_2013):
        plan.statuses.append((LegalStatus.NOT_REORGANISED, LAW_2012_DEADLINE))
    for plan in take(fates["reorganised"], before_2013):
        plan.statuses.append((LegalStatus.NOT_REORGANISED, LAW_2012_DEADLINE))
        plan.statuses.append((LegalStatus.ACTIVE, rnd.date(D(2016, 9, 1), D(2020, 10, 31))))
    for plan in take(fates["suspended_now"]):
        plan.statuses.append((LegalStatus.SUSPENDED, rnd.date(D(2023, 3, 1), _after(horizon, -20))))
    for plan in take(fates["stopped_now"]):
        start = max(D(2019, 3, 1), _after(plan.registration, 200))
        plan.statuses.append((LegalStatus.STOPPED, rnd.date(start, D(2024, 10, 31))))
    for plan in take(fates["suspended_then_active"], lambda p: p.registration < D(2021, 1, 1)):
        start = rnd.date(max(_after(plan.registration, 365), D(2010, 1, 1)), D(2023, 6, 30))
        plan.statuses.append((LegalStatus.SUSPENDED, start))
        plan.statuses.append((LegalStatus.ACTIVE, min(_after(start, r.randint(150, 720)), horizon)))
    plans.extend(existing)

    # New HTX, 2021–2025.
    for year, count in new.items():
        after = _scaled(HTX_NEW_2025_AFTER_SWITCH, scale) if year == 2025 else 0
        for index in range(count):
            plans.append(_new_in_year(rnd, OrganisationKind.HTX, year, horizon, after_switch=index < after))
    young = [p for p in plans if D(2021, 1, 1) <= p.registration < D(2024, 1, 1)]
    for plan in rnd.pick(young, max(1, _scaled(3, scale)))[:3]:
        status = LegalStatus.STOPPED if r.random() < 0.4 else LegalStatus.SUSPENDED
        plan.statuses.append((status, rnd.date(D(2025, 3, 1), _after(horizon, -10))))
    return plans


def _tht_plans(rnd: _Rand, scale: float, horizon: datetime.date) -> list[_Plan]:
    r = rnd.r
    plans: list[_Plan] = []
    for _ in range(_scaled(THT_ENDED_BEFORE_2021, scale)):
        registration = rnd.date(D(2009, 1, 10), D(2017, 12, 20))
        plan = _Plan(OrganisationKind.THT, registration, _after(registration, -r.randint(3, 25)), [], "old")
        plan.statuses = [(LegalStatus.ACTIVE, registration)]
        plan.statuses.append((LegalStatus.DISSOLVED, rnd.date(_after(registration, 700), D(2020, 11, 30))))
        plans.append(plan)
    for _ in range(_scaled(THT_EXISTING_2020, scale)):
        if r.random() < 0.8:  # NĐ 77/2019: THT notify the commune from 2020
            registration = rnd.date(D(2020, 1, 10), D(2020, 12, 20))
        else:
            registration = rnd.date(D(2015, 1, 10), D(2019, 12, 20))
        founding = max(D(registration.year, 1, 2), _after(registration, -r.randint(3, 25)))
        plans.append(
            _Plan(OrganisationKind.THT, registration, founding, [(LegalStatus.ACTIVE, registration)])
        )
    ended = {y: _scaled(n, scale) for y, n in THT_ENDED.items()}
    converted = {y: _scaled(n, scale) for y, n in HTX_FROM_THT.items()}
    total_new = (
        _scaled(THT_EXISTING_2024, scale)
        - _scaled(THT_EXISTING_2020, scale)
        + sum(n for y, n in ended.items() if y <= 2024)
        + sum(n for y, n in converted.items() if y <= 2024)
    )
    new = {y: round(total_new * s) for y, s in THT_NEW_SHARE.items()}
    new[2024] += total_new - sum(new.values())
    new[2025] = _scaled(THT_NEW_2025, scale)
    for year, count in new.items():
        for index in range(count):
            plans.append(
                _new_in_year(
                    rnd,
                    OrganisationKind.THT,
                    year,
                    horizon,
                    after_switch=index >= count // 2 and year == 2025,
                )
            )
    return plans


def _end_tht(rnd: _Rand, thts: list[_Plan], horizon: datetime.date, scale: float, taken: set[int]) -> None:
    """THT that stopped and were closed, per year (conversions into HTX are handled separately)."""
    r = rnd.r
    for year, count in THT_ENDED.items():
        start = D(year, 1, 1)
        pool = [
            p for p in thts
            if id(p) not in taken and p.registration < _after(start, -120) and p.exists_on(start)
        ]  # fmt: skip
        for plan in rnd.pick(pool, _scaled(count, scale)):
            taken.add(id(plan))
            end = rnd.date(D(year, 1, 10), min(D(year, 12, 20), horizon))
            stopped = _after(end, -r.randint(60, 200))
            if r.random() < 0.3 and stopped > _after(plan.registration, 30):
                plan.statuses.append((LegalStatus.STOPPED, stopped))
            plan.statuses.append((LegalStatus.DISSOLVED, end))
    # A few THT on the books have stopped working without closing.
    alive = [p for p in thts if id(p) not in taken and p.registration < D(2024, 6, 1)]
    for plan in rnd.pick(alive, _scaled(60, scale)):
        taken.add(id(plan))
        plan.statuses.append(
            (LegalStatus.STOPPED, rnd.date(_after(plan.registration, 200), _after(horizon, -10)))
        )


# ---------------------------------------------------------------------------------------------
# Sectors and places.


def _agri_sub(rnd: _Rand, era: str) -> str:
    if era == "converted":
        weights = {SubSector.GENERAL_SERVICES: 86, SubSector.CROPS: 5, SubSector.LIVESTOCK: 2,
                   SubSector.AQUACULTURE: 4, SubSector.SALT: 3}  # fmt: skip
    elif era == "old":
        weights = {SubSector.GENERAL_SERVICES: 55, SubSector.CROPS: 15, SubSector.LIVESTOCK: 10,
                   SubSector.AQUACULTURE: 15, SubSector.SALT: 5}  # fmt: skip
    else:
        weights = {SubSector.GENERAL_SERVICES: 22, SubSector.CROPS: 30, SubSector.LIVESTOCK: 20,
                   SubSector.AQUACULTURE: 22, SubSector.SALT: 3}  # fmt: skip
    return rnd.weighted(weights)


NON_AGRI = {
    Sector.INDUSTRY_HANDICRAFT: 33, Sector.TRADE_SERVICES: 22, Sector.TRANSPORT: 11,
    Sector.CONSTRUCTION: 9, Sector.ENVIRONMENT: 12, Sector.HOUSING: 2, Sector.OTHER: 9,
}  # fmt: skip
# HTX that re-registered under Luật HTX 1996 were the old handicraft, trade and transport cooperatives.
NON_AGRI_1990S = {
    Sector.INDUSTRY_HANDICRAFT: 50, Sector.TRADE_SERVICES: 20, Sector.TRANSPORT: 20, Sector.CONSTRUCTION: 10,
}  # fmt: skip


def _non_agri(rnd: _Rand, era: str) -> str:
    return rnd.weighted(NON_AGRI_1990S if era == "converted" else NON_AGRI)


def _tht_sector(rnd: _Rand) -> tuple[str, str]:
    sector = rnd.weighted({Sector.AGRICULTURE: 72, Sector.INDUSTRY_HANDICRAFT: 12, Sector.TRADE_SERVICES: 5,
                           Sector.ENVIRONMENT: 5, Sector.CONSTRUCTION: 3, Sector.TRANSPORT: 2,
                           Sector.OTHER: 1})  # fmt: skip
    if sector != Sector.AGRICULTURE:
        return sector, ""
    return sector, rnd.weighted({SubSector.CROPS: 33, SubSector.LIVESTOCK: 30, SubSector.AQUACULTURE: 17,
                                 SubSector.GENERAL_SERVICES: 15, SubSector.SALT: 5})  # fmt: skip


def _place(rnd: _Rand, areas: _Areas, plan: _Plan, deck: list[AdminUnit]) -> AdminUnit:
    """A commune (pre-2025 map) suited to the organisation's line of business."""
    if plan.sub_sector == SubSector.SALT:
        return rnd.r.choice(areas.in_lists(SALT))
    if plan.sub_sector == SubSector.AQUACULTURE and rnd.r.random() < 0.75:
        return rnd.r.choice(areas.in_lists(COASTAL))
    if (
        plan.kind == OrganisationKind.HTX
        and plan.sub_sector == SubSector.GENERAL_SERVICES
        and plan.era != "new"
    ):
        if not deck:  # every rural commune gets its commune-wide service HTX in turn
            deck.extend(c for c in areas.communes if areas.kind(c) != "ward")
            rnd.r.shuffle(deck)
        return deck.pop()
    if plan.agri:
        factor = {"ward": 0.15, "town": 0.5, "rural": 1.0}
    elif plan.kind == OrganisationKind.HTX:
        factor = {"ward": 1.6, "town": 1.6, "rural": 0.7}
    else:
        factor = {"ward": 0.6, "town": 0.9, "rural": 1.0}
    weights = [areas.weights[c.pk] * factor[areas.kind(c)] for c in areas.communes]
    return rnd.r.choices(areas.communes, weights)[0]


def _set_place(plan: _Plan, commune: AdminUnit, areas: _Areas) -> None:
    if plan.after_switch:  # founded on the 2025 map: only the new commune
        plan.legacy, plan.current = None, areas.successor[commune.pk]
    else:
        plan.legacy, plan.current = commune, areas.successor[commune.pk]


# ---------------------------------------------------------------------------------------------
# Building all plans.


def build_plans(
    *, seed: int = DEMO_SEED, scale: float = 1.0, horizon: datetime.date | None = None
) -> list[_Plan]:
    """Decide every organisation, its history and its yearly data (nothing is written)."""
    horizon = min(horizon or DEMO_HORIZON, timezone.localdate())
    areas = _load_areas()
    rnd = _Rand(seed)
    r = rnd.r
    htx = _htx_plans(rnd, scale, horizon)
    tht = _tht_plans(rnd, scale, horizon)

    # THT: line of business and place.
    deck: list[AdminUnit] = []
    for plan in tht:
        plan.sector, plan.sub_sector = _tht_sector(rnd)
        _set_place(plan, _place(rnd, areas, plan, deck), areas)

    # Some new HTX were formed from a THT (which closes on that day).
    taken: set[int] = set()
    for year, count in HTX_FROM_THT.items():
        candidates = [
            p for p in htx if p.registration.year == year and not p.fixed and p.converted_from is None
        ]
        for plan in rnd.pick(candidates, _scaled(count, scale)):
            pool = [
                t for t in tht
                if id(t) not in taken and t.registration < _after(plan.founding, -365)
                and t.exists_on(plan.registration) and t.last_status_date < plan.registration
            ]  # fmt: skip
            if not pool:
                continue
            source = rnd.pick(pool, 1)[0]
            taken.add(id(source))
            source.statuses.append((LegalStatus.DISSOLVED, plan.registration))
            plan.converted_from = source
            plan.sector, plan.sub_sector = source.sector, source.sub_sector
            plan.fixed = True
            _set_place(plan, source.place if source.legacy else _predecessor(areas, source.place, r), areas)
    _end_tht(rnd, tht, horizon, scale, taken)

    # HTX: sector first (exactly the published share of agriculture at end-2024), then place.
    for plan in htx:
        if plan.converted_from:
            continue
        if plan.fixed:
            plan.sector = Sector.AGRICULTURE
            continue
        p_agri = {"converted": 0.88, "old": 0.66}.get(plan.era, 0.55)
        plan.sector = Sector.AGRICULTURE if r.random() < p_agri else _non_agri(rnd, plan.era)
    end_2024 = [p for p in htx if p.exists_on(D(2024, 12, 31))]
    target = min(len(end_2024), _scaled(AGRI_HTX_2024, scale))
    flexible = [p for p in end_2024 if not p.fixed]
    agri_now = sum(1 for p in end_2024 if p.agri)
    if agri_now < target:
        for plan in rnd.pick([p for p in flexible if not p.agri], target - agri_now):
            plan.sector = Sector.AGRICULTURE
    elif agri_now > target:
        for plan in rnd.pick(
            [p for p in flexible if p.agri], agri_now - target, lambda p: 1 + (p.era == "new") * 2
        ):
            plan.sector = _non_agri(rnd, plan.era)
    fixed_places = iter(FIXED_HTX)
    for plan in htx:
        if plan.converted_from:
            continue
        if plan.fixed:
            name, district, commune, sub, _model = next(fixed_places)
            plan.fixed_name, plan.sub_sector = name, sub
            _set_place(plan, areas.by_place[(district, commune)], areas)
            continue
        plan.sub_sector = _agri_sub(rnd, plan.era) if plan.agri else ""
        _set_place(plan, _place(rnd, areas, plan, deck), areas)

    others = _qtdnd_plans(rnd, areas, scale) + _lhhtx_plans(rnd, areas, scale, htx)
    plans = sorted(htx + tht + others, key=lambda p: (p.registration, p.kind))
    _check(plans, horizon)
    _name_all(rnd, plans, areas)
    _details(rnd, plans)
    _reports_plan(rnd, plans)
    return plans


def _check(plans: list[_Plan], horizon: datetime.date) -> None:
    """Every history starts at registration, moves forward day by day and stays in the past."""
    for plan in plans:
        days = [day for _status, day in plan.statuses]
        if not (
            plan.founding <= plan.registration == days[0]
            and all(a < b for a, b in zip(days, days[1:], strict=False))
            and days[-1] <= horizon
        ):
            raise DemoError(f"Lịch sử trạng thái không hợp lệ: {plan.kind} {plan.statuses}")


def _predecessor(areas: _Areas, current: AdminUnit, r: random.Random) -> AdminUnit:
    options = [c for c in areas.communes if areas.successor[c.pk].pk == current.pk]
    return r.choice(options)


def _qtdnd_plans(rnd: _Rand, areas: _Areas, scale: float) -> list[_Plan]:
    r = rnd.r
    places = [areas.by_place[p] for p in QTDND_PLACES if p in areas.by_place]
    plans = []
    for commune in places[: max(1, _scaled(QTDND_COUNT, scale))]:
        registration = rnd.date(D(1994, 6, 1), D(2003, 12, 20))
        plan = _Plan(
            OrganisationKind.QTDND,
            registration,
            _after(registration, -r.randint(20, 120)),
            [(LegalStatus.ACTIVE, registration)],
            "old",
            sector=Sector.CREDIT,
        )
        _set_place(plan, commune, areas)
        plan.fixed_name = f"Quỹ tín dụng nhân dân {commune.short_name}"
        plans.append(plan)
    return plans


def _lhhtx_plans(rnd: _Rand, areas: _Areas, scale: float, htx: list[_Plan]) -> list[_Plan]:
    specs = [
        ("Liên hiệp Hợp tác xã nông nghiệp Nam Định", "LHHTX NN Nam Định", ("Nam Định", "Lộc Hạ"),
         D(2019, 3, 1), D(2019, 10, 31), SubSector.GENERAL_SERVICES, 12),
        ("Liên hiệp Hợp tác xã Thủy sản Giao Thủy", "LHHTX Thủy sản Giao Thủy", ("Giao Thủy", "Giao Thủy"),
         D(2022, 4, 1), D(2022, 9, 30), SubSector.AQUACULTURE, 7),
    ]  # fmt: skip
    plans = []
    chosen: set[int] = set()
    for name, short, place, start, end, sub, members in specs[: max(1, _scaled(len(specs), scale))]:
        registration = rnd.date(start, end)
        plan = _Plan(
            OrganisationKind.LHHTX,
            registration,
            _after(registration, -rnd.r.randint(15, 60)),
            [(LegalStatus.ACTIVE, registration)],
            sector=Sector.AGRICULTURE,
            sub_sector=sub,
        )
        plan.fixed_name, plan.short_name = name, short
        _set_place(plan, areas.by_place[place], areas)
        pool = [
            p for p in htx
            if p.agri and id(p) not in chosen and p.exists_on(D(2024, 12, 31)) and p.registration < D(2024, 1, 1)
            and (sub != SubSector.AQUACULTURE or p.sub_sector == sub)
        ]  # fmt: skip
        for member in rnd.pick(pool, max(2, _scaled(members, scale)), lambda p: 3 if p.model else 1):
            member.union = plan
            chosen.add(id(member))
        plans.append(plan)
    return plans


# ---------------------------------------------------------------------------------------------
# Names, codes, people.


def _name_all(rnd: _Rand, plans: list[_Plan], areas: _Areas) -> None:
    r = rnd.r
    used: set[str] = {fold(p.fixed_name) for p in plans if p.fixed_name}
    reserved = fold(SEARCH_NAME)

    def free(name: str) -> bool:
        folded = fold(name)
        return folded not in used and reserved not in folded

    for plan in plans:
        if plan.fixed_name:
            plan.name = plan.fixed_name
            plan.short_name = plan.short_name or SHORT_NAMES.get(plan.name, "")
            if plan.kind == OrganisationKind.QTDND:
                plan.short_name = plan.name.replace("Quỹ tín dụng nhân dân", "QTDND")
            continue
        place = plan.place.short_name
        hamlet_word = "xóm" if areas.kind(plan.place) == "rural" else "tổ dân phố"
        if plan.kind == OrganisationKind.THT:
            activity = r.choice(THT_ACTIVITIES[plan.sub_sector or plan.sector])
            numbers = list(range(1, 21))
            r.shuffle(numbers)
            candidates = [f"Tổ hợp tác {activity} {hamlet_word} {n} {place}" for n in numbers]
            if r.random() < 0.3:
                candidates.insert(0, f"Tổ hợp tác {activity} {place}")
            abbreviation = ""
        else:
            options = HTX_TYPES[plan.sub_sector or plan.sector]
            type_name = rnd.weighted([(o[0], o[1]) for o in options])
            abbreviation = next(o[2] for o in options if o[0] == type_name)
            prefix = "HTX" if r.random() < 0.08 else "Hợp tác xã"
            district = plan.place.parent
            if (
                district is not None
                and district.short_name == "Nam Định"
                and areas.kind(plan.place) == "ward"
                and r.random() < 0.3
            ):
                place = r.choice(["Thành Nam", "Nam Định", "Thiên Trường"])
            directions = DIRECTIONS[:]
            r.shuffle(directions)
            numbers = list(range(1, 16))
            r.shuffle(numbers)
            candidates = [f"{prefix} {type_name} {place}"]
            candidates += [f"{prefix} {type_name} {d} {place}" for d in directions[:3]]
            candidates += [f"{prefix} {type_name} {hamlet_word} {n} {place}" for n in numbers[:4]]
        candidates += [f"{candidates[0]} số {n}" for n in range(2, 200)]
        name = next(c for c in candidates if free(c))
        used.add(fold(name))
        plan.name = name
        if plan.kind == OrganisationKind.HTX and abbreviation:
            plan.short_name = "HTX " + abbreviation + name.split(type_name, 1)[1]


def _person(rnd: _Rand, male_share: float) -> str:
    r = rnd.r
    family = rnd.weighted(FAMILY_NAMES)
    middle, given = (MIDDLE_MALE, GIVEN_MALE) if r.random() < male_share else (MIDDLE_FEMALE, GIVEN_FEMALE)
    chosen_middle = rnd.weighted(middle)
    chosen_given = r.choice([g for g in given if g != chosen_middle])
    return f"{family} {chosen_middle} {chosen_given}"


def _phone(rnd: _Rand, landline: bool = False) -> str:
    r = rnd.r
    if landline:
        return f"0228{r.randint(3_600_000, 3_899_999)}"
    return rnd.weighted(MOBILE_PREFIXES) + f"{r.randint(0, 9_999_999):07d}"


HAMLET_RE = re.compile(r"\b(xóm|tổ dân phố) (\d+)\b")


def _address(rnd: _Rand, plan: _Plan) -> str:
    r = rnd.r
    hamlet = HAMLET_RE.search(plan.name)
    if hamlet:  # the hamlet in the name is where it sits
        return f"{hamlet.group(1).capitalize()} {hamlet.group(2)}"
    unit_type = plan.place.unit_type
    district = plan.place.parent
    if unit_type == "Phường" and district is not None and district.short_name == "Nam Định":
        return f"Số {r.randint(1, 320)} đường {r.choice(CITY_STREETS)}"
    if unit_type in ("Phường", "Thị trấn"):
        return f"Tổ dân phố {r.randint(1, 18)}"
    return f"Xóm {r.randint(1, 22)}" if r.random() < 0.75 else f"Thôn {r.choice(DIRECTIONS)}"


def _office(plan: _Plan) -> str:
    unit = plan.place
    if plan.kind == OrganisationKind.THT:
        return f"UBND {unit.unit_type.lower()} {unit.short_name}"
    if plan.registration >= MAP_SWITCH_DATE:
        return f"Phòng Kinh tế UBND {unit.unit_type.lower()} {unit.short_name}"
    if plan.kind in (OrganisationKind.QTDND, OrganisationKind.LHHTX):
        return "Sở Kế hoạch và Đầu tư tỉnh Nam Định"
    district = unit.parent
    assert district is not None  # a commune of the old map lies in a district
    if district.short_name == "Nam Định":
        if unit.unit_type == "Xã" and unit.short_name.startswith("Mỹ"):
            return "Phòng Tài chính – Kế hoạch huyện Mỹ Lộc"
        return "Phòng Tài chính – Kế hoạch thành phố Nam Định"
    return f"Phòng Tài chính – Kế hoạch huyện {district.short_name}"


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _web_stem(plan: _Plan) -> str:
    return _slug(plan.short_name) if plan.short_name else "htx" + _slug(plan.place.short_name)


def _details(rnd: _Rand, plans: list[_Plan]) -> None:
    """Codes, people, contacts, capital and notes."""
    r = rnd.r
    registration_no = 120
    tax_no = 100_000 + r.randint(0, 5_000)
    tht_no: dict[str, int] = {}
    emails: set[str] = set()
    for plan in plans:  # already in order of registration
        obj = Organisation(
            kind=plan.kind,
            name=plan.name,
            short_name=plan.short_name,
            registration_date=plan.registration,
            founding_date=plan.founding,
            registering_office=_office(plan),
            address=_address(rnd, plan),
            commune_legacy=plan.legacy,
            commune_current=plan.current,
            sector=plan.sector,
            sub_sector=plan.sub_sector,
        )
        tax_no += r.randint(40, 700)
        if plan.kind == OrganisationKind.THT:
            key = plan.place.code
            tht_no[key] = tht_no.get(key, 0) + 1
            obj.registration_code = f"THT-{key}-{tht_no[key]:03d}"
            obj.tax_code = f"06{tax_no:08d}" if r.random() < 0.04 else ""
            obj.representative_name = _person(rnd, 0.62)
            obj.representative_title = "Tổ trưởng"
            obj.phone = _phone(rnd)
            obj.charter_capital = Decimal(r.randint(2, 30) * 10_000_000) if r.random() < 0.15 else None
        else:
            registration_no += r.randint(1, 7)
            obj.registration_code = f"0607{registration_no:06d}"
            lacks_tax = plan.kind == OrganisationKind.HTX and r.random() < (
                0.2 if plan.era == "converted" else 0.04
            )
            obj.tax_code = "" if lacks_tax else f"06{tax_no:08d}"
            obj.phone = _phone(rnd, landline=plan.era == "converted" and r.random() < 0.35)
            if plan.kind == OrganisationKind.QTDND:
                obj.representative_name = _person(rnd, 0.55)
                obj.representative_title = "Giám đốc"
                capital = rnd.lognormal(3e9, 0.5, 8e8, 1.5e10)
                obj.phone = _phone(rnd, landline=True)
            elif plan.kind == OrganisationKind.LHHTX:
                obj.representative_name = _person(rnd, 0.8)
                obj.representative_title = "Chủ tịch Hội đồng quản trị"
                capital = rnd.lognormal(5e9, 0.4, 2e9, 1.5e10)
            else:
                obj.representative_name = _person(rnd, 0.78)
                obj.representative_title = (
                    "Giám đốc" if r.random() < 0.6 else "Chủ tịch Hội đồng quản trị kiêm Giám đốc"
                )
                median = 1.5e9 if plan.era == "converted" else 8e8
                capital = rnd.lognormal(median, 1.0, 1e8, 4e10)
            obj.charter_capital = Decimal(int(round(capital / 1e6)) * 1_000_000)
            if r.random() < (0.6 if plan.kind != OrganisationKind.HTX else 0.25):
                stem = _web_stem(plan)
                email = f"{stem}@gmail.com"
                for n in range(2, 50):
                    if email not in emails:
                        break
                    email = f"{stem}{n}@gmail.com"
                emails.add(email)
                obj.email = email
        notes = []
        if plan.era == "converted" and plan.kind == OrganisationKind.HTX and plan.founding.year < 1991:
            notes.append(f"Thành lập năm {plan.founding.year}, chuyển đổi theo Luật Hợp tác xã năm 1996.")
        if plan.converted_from:
            notes.append(f"Thành lập trên cơ sở {plan.converted_from.name}.")
        if plan.model:
            notes.append("Mô hình hợp tác xã điển hình của tỉnh.")
        obj.notes = " ".join(notes)
        obj.name_folded = fold(f"{obj.name} {obj.short_name}")
        obj.name_sort = sort_key(obj.name)
        plan.obj = obj


# ---------------------------------------------------------------------------------------------
# Yearly data.


def _progressive(
    rnd: _Rand,
    plans: list[_Plan],
    indicator: str,
    targets: dict[int, int],
    weight: Callable[[_Plan], float],
    eligible: Callable[[_Plan, int], bool] = lambda p, y: True,
) -> None:
    """Give `indicator` to organisations from a start year on, so that each year about `targets[year]`
    of the reports carry it (organisations keep it once they have it)."""
    for year, target in targets.items():
        reporting = [p for p in plans if year in p.report_years]
        current = sum(1 for p in reporting if indicator in p.starts)
        need = target - current
        pool = [p for p in reporting if indicator not in p.starts and eligible(p, year)]
        for plan in rnd.pick(pool, need, weight):
            plan.starts[indicator] = year


def _reports_plan(rnd: _Rand, plans: list[_Plan]) -> None:
    """Which years each organisation reported, and which development indicators it has when."""
    r = rnd.r
    for plan in plans:
        years = [y for y in YEARS if plan.exists_on(D(y, 12, 31))]
        if plan.kind == OrganisationKind.THT:
            years = [y for y in years if r.random() >= (0.55 if plan.registration >= D(y, 10, 1) else 0.22)]
        elif plan.kind == OrganisationKind.HTX and not plan.fixed and len(years) > 1:
            if r.random() < 0.06:
                years.remove(r.choice(years))
            if len(years) > 1 and r.random() < 0.01:
                years.remove(r.choice(years))
        plan.report_years = years
    scale_targets = _scale_of(plans)

    def s(targets: dict[int, int]) -> dict[int, int]:
        return {y: _scaled(v, scale_targets) for y, v in targets.items()}

    htx = [p for p in plans if p.kind == OrganisationKind.HTX]
    for plan in htx:
        if plan.model and 2020 in plan.report_years:
            plan.starts.update(enterprise_link=2020, in_value_chain=2020)
    # 2020: 71 HTX linked with enterprises, 69 of them agricultural.
    target_2020 = _scaled(ENTERPRISE_LINK[2020], scale_targets)
    agri_2020 = min(target_2020, _scaled(ENTERPRISE_LINK_AGRI_2020, scale_targets))
    _progressive(rnd, [p for p in htx if p.agri], "enterprise_link", {2020: agri_2020}, _link_weight)
    _progressive(rnd, htx, "enterprise_link", {2020: target_2020}, lambda p: 0 if p.agri else 1)
    _progressive(
        rnd, htx, "enterprise_link", {y: v for y, v in s(ENTERPRISE_LINK).items() if y > 2020}, _link_weight
    )
    _progressive(
        rnd, htx, "in_value_chain", s(VALUE_CHAIN), _link_weight,
        lambda p, y: p.starts.get("enterprise_link", 9999) <= y,
    )  # fmt: skip
    _progressive(rnd, htx, "high_tech", s(HIGH_TECH), _tech_weight)
    _progressive(rnd, htx, "ocop", s(OCOP), _ocop_weight)
    for plan in plans:
        for indicator, curve in _ADOPTION.items():
            chance_by_year = curve.get(plan.kind, {})
            for year in plan.report_years:
                if r.random() < chance_by_year.get(year, 0.0):
                    plan.starts.setdefault(indicator, year)
                    break
        if plan.agri and "in_value_chain" in plan.starts:
            plan.starts["traceability"] = min(
                plan.starts.get("traceability", 9999), plan.starts["in_value_chain"] + 1
            )


def _scale_of(plans: list[_Plan]) -> float:
    """The scale the plans were built at, read back from the number of HTX at end-2020."""
    count = sum(1 for p in plans if p.kind == OrganisationKind.HTX and p.exists_on(D(2020, 12, 31)))
    return count / HTX_EXISTING_2020


_LINK_WEIGHTS: dict[str, float] = {SubSector.GENERAL_SERVICES: 1.5, SubSector.CROPS: 4, SubSector.LIVESTOCK: 3,
                                   SubSector.AQUACULTURE: 3, SubSector.SALT: 2}  # fmt: skip
_TECH_WEIGHTS: dict[str, float] = {SubSector.GENERAL_SERVICES: 1.0, SubSector.CROPS: 6, SubSector.LIVESTOCK: 4,
                                   SubSector.AQUACULTURE: 4, SubSector.SALT: 0.5}  # fmt: skip
_OCOP_WEIGHTS: dict[str, float] = {SubSector.CROPS: 4, SubSector.LIVESTOCK: 2, SubSector.AQUACULTURE: 3,
                                   SubSector.SALT: 4, SubSector.GENERAL_SERVICES: 1}  # fmt: skip


def _link_weight(plan: _Plan) -> float:
    return _LINK_WEIGHTS.get(plan.sub_sector, 1.0)


def _tech_weight(plan: _Plan) -> float:
    return _TECH_WEIGHTS.get(plan.sub_sector, 0.2)


def _ocop_weight(plan: _Plan) -> float:
    if plan.sector == Sector.INDUSTRY_HANDICRAFT:
        return 3.0
    return _OCOP_WEIGHTS.get(plan.sub_sector, 0.1)


# Per-year probability that an organisation not yet using something starts using it that year.
_HTX_E_INVOICE = {2020: 0.07, 2021: 0.06, 2022: 0.55, 2023: 0.55, 2024: 0.45, 2025: 0.35}
_ADOPTION: dict[str, dict[str, dict[int, float]]] = {
    "e_invoice": {
        OrganisationKind.HTX: _HTX_E_INVOICE,
        OrganisationKind.LHHTX: _HTX_E_INVOICE,
        OrganisationKind.QTDND: {2020: 0.3, 2021: 0.2, 2022: 1.0},
        OrganisationKind.THT: {2023: 0.02, 2024: 0.02, 2025: 0.03},
    },
    "accounting_software": {
        OrganisationKind.HTX: {2020: 0.3, 2021: 0.06, 2022: 0.08, 2023: 0.1, 2024: 0.1, 2025: 0.1},
        OrganisationKind.LHHTX: {2020: 1.0, 2021: 1.0, 2022: 1.0},
        OrganisationKind.QTDND: {2020: 1.0},
        OrganisationKind.THT: {2022: 0.01, 2023: 0.01, 2024: 0.02, 2025: 0.02},
    },
    "e_commerce": {
        OrganisationKind.HTX: {2020: 0.02, 2021: 0.02, 2022: 0.03, 2023: 0.03, 2024: 0.03, 2025: 0.04},
        OrganisationKind.THT: {2023: 0.01, 2024: 0.01, 2025: 0.01},
    },
    "has_website": {
        OrganisationKind.HTX: {2020: 0.03, 2021: 0.01, 2022: 0.01, 2023: 0.01, 2024: 0.01, 2025: 0.01},
        OrganisationKind.QTDND: {2020: 0.2, 2023: 0.1},
        OrganisationKind.LHHTX: {2022: 0.5, 2023: 0.5},
    },
    "traceability": {
        OrganisationKind.HTX: {2020: 0.02, 2021: 0.02, 2022: 0.03, 2023: 0.04, 2024: 0.04, 2025: 0.04},
        OrganisationKind.THT: {2024: 0.005, 2025: 0.005},
    },
}


@dataclass
class _Profile:
    revenue: float
    asset_ratio: float
    equity_ratio: float
    margin: float
    workers: float
    income: float
    growth: float
    member_growth: float
    ocop_products: int = 0
    ocop_stars: int = 0
    partner: str = ""


def _profile(rnd: _Rand, plan: _Plan) -> _Profile:
    r = rnd.r
    kind, sub = plan.kind, plan.sub_sector
    if kind == OrganisationKind.QTDND:
        plan.members_base = rnd.lognormal(1700, 0.45, 500, 6000)
        return _Profile(rnd.lognormal(1.2e10, 0.5), r.uniform(8, 12), r.uniform(0.06, 0.12),
                        r.gauss(0.16, 0.05), rnd.lognormal(11, 0.35, 5, 25), r.gauss(96e6, 12e6),
                        r.gauss(0.07, 0.03), r.gauss(0.02, 0.015))  # fmt: skip
    if kind == OrganisationKind.LHHTX:
        return _Profile(rnd.lognormal(8e9, 0.4), r.uniform(0.5, 0.9), r.uniform(0.5, 0.8),
                        r.gauss(0.03, 0.02), rnd.lognormal(8, 0.3, 4, 20), r.gauss(70e6, 8e6),
                        r.gauss(0.08, 0.04), 0.0)  # fmt: skip
    if kind == OrganisationKind.THT:
        plan.members_base = rnd.lognormal(10, 0.5, 3, 80)
        return _Profile(rnd.lognormal(2.5e8, 0.9, 2e7, 5e9), r.uniform(0.3, 0.9), r.uniform(0.6, 1.0),
                        r.gauss(0.12, 0.08), 0.0, r.gauss(38e6, 8e6), r.gauss(0.05, 0.06),
                        r.gauss(0.02, 0.05))  # fmt: skip
    if plan.agri:
        if sub == SubSector.GENERAL_SERVICES and plan.era == "converted":
            plan.members_base = rnd.lognormal(850, 0.55, 150, 4500)
            revenue, workers = rnd.lognormal(2.6e9, 0.8), rnd.lognormal(11, 0.5, 4, 45)
        elif sub == SubSector.GENERAL_SERVICES:
            plan.members_base = rnd.lognormal(140, 0.8, 12, 2500)
            revenue, workers = rnd.lognormal(2.2e9, 0.9), rnd.lognormal(8, 0.6, 3, 40)
        elif sub == SubSector.SALT:
            plan.members_base = rnd.lognormal(150, 0.6, 20, 900)
            revenue, workers = rnd.lognormal(1.2e9, 0.8), rnd.lognormal(12, 0.6, 4, 60)
        else:
            plan.members_base = rnd.lognormal(26, 0.8, 7, 600)
            revenue, workers = rnd.lognormal(1.9e9, 1.0), rnd.lognormal(7, 0.6, 3, 60)
        income = r.gauss(42e6, 7e6)
    else:
        plan.members_base = rnd.lognormal(22, 0.7, 7, 400)
        medians: dict[str, float] = {Sector.INDUSTRY_HANDICRAFT: 3.5e9, Sector.TRADE_SERVICES: 4e9, Sector.TRANSPORT: 3e9,
                                     Sector.CONSTRUCTION: 6e9, Sector.ENVIRONMENT: 1.5e9, Sector.HOUSING: 5e9}  # fmt: skip
        median = medians.get(plan.sector, 1.2e9)
        revenue, workers = rnd.lognormal(median, 1.0), rnd.lognormal(12, 0.7, 3, 150)
        income = r.gauss(55e6, 10e6)
    profile = _Profile(revenue, rnd.lognormal(0.24, 0.5, 0.05, 3), r.uniform(0.4, 0.85), r.gauss(0.05, 0.045),
                       workers, income, r.gauss(0.05, 0.05), r.gauss(0.005 if plan.era == "converted" else 0.04, 0.03))  # fmt: skip
    if plan.model:
        profile.revenue *= 3
        profile.margin = abs(profile.margin) + 0.04
    if "ocop" in plan.starts:
        profile.ocop_products = rnd.weighted({1: 5, 2: 3, 3: 1})
        profile.ocop_stars = rnd.weighted({3: 70, 4: 27, 5: 3})
    if "in_value_chain" in plan.starts:
        key = sub if sub in PARTNERS else ("rice" if plan.agri else "other")
        profile.partner = r.choice(PARTNERS[key])
    return profile


def _split_members(rnd: _Rand, plan: _Plan, total: int) -> dict[str, int]:
    r = rnd.r
    if plan.kind == OrganisationKind.LHHTX:
        return {"official_legal_entities": total}
    if plan.kind == OrganisationKind.THT:
        households = round(total * r.uniform(0.0, 0.6))
        return {"official_individuals": total - households, "official_households": households}
    associates = round(total * (r.uniform(0.0, 0.08) if r.random() < 0.4 else 0.0))
    official = total - associates
    if plan.kind == OrganisationKind.QTDND:
        entities = r.randint(0, 3)
        households = round((official - entities) * r.uniform(0.2, 0.35))
        split = {"official_individuals": official - entities - households, "official_households": households,
                 "official_legal_entities": entities}  # fmt: skip
    elif plan.agri:
        entities = min(official // 10, r.choice([0, 0, 0, 1, 1, 2]))
        individuals = round((official - entities) * r.uniform(0.03, 0.15))
        split = {"official_households": official - entities - individuals, "official_individuals": individuals,
                 "official_legal_entities": entities}  # fmt: skip
    else:
        entities = min(official // 7, r.choice([0, 0, 0, 0, 1]))
        households = round((official - entities) * r.uniform(0.0, 0.2))
        split = {"official_individuals": official - entities - households, "official_households": households,
                 "official_legal_entities": entities}  # fmt: skip
    split["associate_individuals"] = associates
    return split


def _money(value: float, unit: int = 1000) -> Decimal:
    return Decimal(int(round(value / unit)) * unit)


def _members_by_year(rnd: _Rand, plan: _Plan, profile: _Profile) -> dict[int, float]:
    values = {}
    for year in plan.report_years:
        noise = 1 + rnd.r.gauss(0, 0.015)
        values[year] = plan.members_base * (1 + profile.member_growth) ** (year - 2024) * noise
    return values


def _calibrate(plans: list[_Plan], members: dict[int, dict[int, float]]) -> None:
    """Scale member counts so that 2024 matches the published totals."""
    scale = _scale_of(plans)
    agri_target = MEMBERS_AGRI_HTX_2024 * scale
    others_target = (MEMBERS_ALL_2024 - MEMBERS_AGRI_HTX_2024) * scale
    agri = [p for p in plans if p.kind == OrganisationKind.HTX and p.agri and 2024 in p.report_years]
    others = [
        p for p in plans
        if not (p.kind == OrganisationKind.HTX and p.agri) and p.kind != OrganisationKind.LHHTX
        and 2024 in p.report_years
    ]  # fmt: skip
    for group, target in ((agri, agri_target), (others, others_target)):
        total = sum(members[id(p)][2024] for p in group)
        if not total:
            continue
        factor = target / total
        for plan in group:
            members[id(plan)] = {y: v * factor for y, v in members[id(plan)].items()}


def _reports(rnd: _Rand, plans: list[_Plan]) -> list[YearlyReport]:
    profiles = {id(p): _profile(rnd, p) for p in plans}
    members = {id(p): _members_by_year(rnd, p, profiles[id(p)]) for p in plans}
    _calibrate(plans, members)
    union_members: dict[int, list[_Plan]] = {}
    for plan in plans:
        if plan.union:
            union_members.setdefault(id(plan.union), []).append(plan)
    reports = []
    for plan in plans:
        profile = profiles[id(plan)]
        for year in plan.report_years:
            if plan.kind == OrganisationKind.LHHTX:
                total = sum(1 for m in union_members.get(id(plan), []) if m.exists_on(D(year, 12, 31)))
            else:
                total = max(3 if plan.kind == OrganisationKind.THT else 7, round(members[id(plan)][year]))
            reports.append(_yearly_report(rnd, plan, profile, year, total))
    return reports


def _yearly_report(rnd: _Rand, plan: _Plan, profile: _Profile, year: int, total: int) -> YearlyReport:
    """One year of an organisation's data from its profile, with `total` members (the national generator
    uses it too: hoptac/demo/national.py)."""
    r = rnd.r
    values = _split_members(rnd, plan, total)
    delta = year - 2024
    covid = 0.93 if year in (2020, 2021) else 1.0
    revenue = profile.revenue * (1 + profile.growth) ** delta * covid * rnd.lognormal(1, 0.12)
    if plan.registration.year == year:  # first, partial year
        revenue *= (D(year, 12, 31) - plan.registration).days / 365
    margin = profile.margin + r.gauss(0, 0.02)
    assets = revenue * profile.asset_ratio * rnd.lognormal(1, 0.05)
    workers = profile.workers * rnd.lognormal(1, 0.08)
    if plan.kind == OrganisationKind.THT:
        workers = total * r.uniform(0.3, 1.0)
    income = profile.income * 1.055**delta * rnd.lognormal(1, 0.04)
    report = YearlyReport(
        organisation=plan.obj,
        year=year,
        workers=max(1, round(workers)),
        revenue=_money(revenue),
        profit=_money(min(revenue * margin, revenue * 0.6)),
        total_assets=_money(assets, 1_000_000),
        equity=_money(assets * profile.equity_ratio, 1_000_000),
        average_worker_income=_money(max(18e6, income), 100_000),
        submitted_at=(
            rnd.date(D(year, 11, 20), D(year, 12, 15))
            if r.random() < 0.85
            else rnd.date(D(year, 12, 16), D(year + 1, 3, 15))
        ),
        **values,
    )
    if plan.kind == OrganisationKind.THT and r.random() < 0.3:
        report.revenue = report.profit = report.total_assets = report.equity = None
        report.average_worker_income = None
    starts = plan.starts
    for indicator in ("enterprise_link", "in_value_chain", "high_tech", "traceability", "accounting_software",
                      "e_invoice", "e_commerce", "has_website"):  # fmt: skip
        setattr(report, indicator, starts.get(indicator, 9999) <= year)
    if report.in_value_chain:
        report.value_chain_partner = profile.partner
    if starts.get("ocop", 9999) <= year:
        upgraded = year - starts["ocop"] >= 3 and profile.ocop_stars < 5
        report.ocop_products = profile.ocop_products + (1 if upgraded else 0)
        report.ocop_max_stars = profile.ocop_stars + (1 if upgraded and profile.ocop_stars == 3 else 0)
    support_chances: dict[str, float] = {OrganisationKind.HTX: 0.2, OrganisationKind.THT: 0.04}
    support_chance = support_chances.get(plan.kind, 0.1)
    if r.random() < support_chance:
        report.state_support = True
        median = 1.5e8 if plan.kind != OrganisationKind.THT else 3e7
        report.state_support_amount = _money(rnd.lognormal(median, 0.9, 1e7, 3e9), 1_000_000)
        report.state_support_note = r.choice(SUPPORT_NOTES)
    return report


# ---------------------------------------------------------------------------------------------
# Writing.


def _loader_user():
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"first_name": "Trình nạp dữ liệu mẫu", "is_active": False, "role": Role.VIEWER},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_users_ensure() -> list:
    """Create (or reset) the demo users listed in DEMO_USERS, all with DEMO_PASSWORD."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the password is shared anyway
    users = []
    for spec in DEMO_USERS:
        organisation = None
        if spec.organisation_name:
            organisation = Organisation.objects.filter(name=spec.organisation_name).order_by("pk").first()
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "role": spec.role,
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "is_superuser": spec.superuser,
                "is_staff": spec.superuser,
                "is_active": True,
                "organisation": organisation,
                "password": password,
            },
        )
        units = [AdminUnit.objects.get(map=m, level=lvl, code=code) for m, lvl, code in spec.areas]
        user.areas.set(units)
        users.append(user)
    return users


def demo_reset() -> None:
    """Delete the whole registry (organisations, status histories, yearly data and their history)."""
    YearlyReport.objects.all().delete()
    StatusChange.objects.all().delete()
    Organisation.objects.all().delete()
    for model in (YearlyReport, StatusChange, Organisation):
        model.history.model.objects.all().delete()


def demo_load(*, seed: int = DEMO_SEED, scale: float = 1.0, reset: bool = False) -> DemoResult:
    """Build the demo registry in one transaction. Without `reset`, an existing registry is reused."""
    started = time.perf_counter()
    with transaction.atomic():
        if not reset and Organisation.objects.exists():
            return DemoResult(reused=True, organisations=Organisation.objects.count())
        if reset:
            demo_reset()
        plans = build_plans(seed=seed, scale=scale)
        rnd = _Rand(seed + 1)
        reports = _reports(rnd, plans)
        loader = _loader_user()
        reason = "Nạp dữ liệu mẫu (load_demo)"
        today = timezone.localdate()
        for plan in plans:
            plan.organisation.current_status = plan.status_on(today) or LegalStatus.ACTIVE
            if "has_website" in plan.starts:
                plan.organisation.website = f"https://www.{_web_stem(plan)}.vn"
        # Referenced organisations (THT, LHHTX) first, then the HTX that point at them.
        first = [p for p in plans if p.kind != OrganisationKind.HTX]
        second = [p for p in plans if p.kind == OrganisationKind.HTX]
        for batch in (first, second):
            for plan in batch:
                if plan.union:
                    plan.organisation.union_id = plan.union.organisation.pk
                if plan.converted_from:
                    plan.organisation.converted_from_id = plan.converted_from.organisation.pk
            bulk_create_with_history(
                [p.obj for p in batch], Organisation, batch_size=BATCH, default_user=loader,
                default_change_reason=reason,
            )  # fmt: skip
        changes = [
            StatusChange(
                organisation_id=plan.organisation.pk,
                status=status,
                effective_from=day,
                decision=_decision(plan, status, day, index),
            )
            for plan in plans
            for index, (status, day) in enumerate(plan.statuses)
        ]
        bulk_create_with_history(
            changes, StatusChange, batch_size=BATCH, default_user=loader, default_change_reason=reason
        )
        status_periods_refresh()
        for report in reports:
            report.organisation_id = report.organisation.pk
        bulk_create_with_history(
            reports, YearlyReport, batch_size=BATCH, default_user=loader, default_change_reason=reason
        )
        users = demo_users_ensure()
    by_kind: dict[str, int] = {}
    for plan in plans:
        by_kind[plan.kind] = by_kind.get(plan.kind, 0) + 1
    return DemoResult(
        reused=False,
        organisations=len(plans),
        by_kind=by_kind,
        status_changes=len(changes),
        reports=len(reports),
        users=len(users),
        seconds=time.perf_counter() - started,
    )


def _decision(plan: _Plan, status: str, day: datetime.date, index: int) -> str:
    code = plan.organisation.registration_code
    number = (code[-3:] if code else "01").lstrip("0") or "1"
    on = day.strftime("%d/%m/%Y")
    if plan.kind == OrganisationKind.THT:
        if index == 0:
            return f"Thông báo thành lập tổ hợp tác, UBND xã tiếp nhận ngày {on}"
        return f"Thông báo chấm dứt hoạt động ngày {on}" if status == LegalStatus.DISSOLVED else ""
    if index == 0:
        return f"Giấy chứng nhận đăng ký hợp tác xã số {code} cấp ngày {on}"
    decisions: dict[str, str] = {
        LegalStatus.SUSPENDED: f"Thông báo tạm ngừng kinh doanh ngày {on}",
        LegalStatus.STOPPED: f"Biên bản kiểm tra ngày {on}: hợp tác xã không còn hoạt động",
        LegalStatus.DISSOLVING: f"Nghị quyết Đại hội thành viên về giải thể ngày {on}",
        LegalStatus.DISSOLVED: f"Thông báo số {number}/TB-TCKH về việc giải thể, ngày {on}",
        LegalStatus.NOT_REORGANISED: "Chưa tổ chức lại theo Luật Hợp tác xã năm 2012 (hạn 01/7/2016)",
        LegalStatus.ACTIVE: f"Giấy xác nhận hoạt động trở lại ngày {on}",
    }
    return decisions.get(status, "")
