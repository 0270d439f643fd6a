"""The command-line calculator: what-if questions on the rules, with the parameters in the
database (as administrators keep them). Each call prints ONE JSON object on stdout:

    manage.py rules quota --jurisdiction 25 --commune-kind xa --households 525 [--residents N] [--on 2024-08-01]
    manage.py rules monthly --jurisdiction 01 --role to_truong --month 2024-08 [--village-type 1]
        [--region IV] [--concurrent POST ...] [--training-level L] [--active-days N]
    manage.py rules duty --jurisdiction 30 --month 2024-12 --day 10 21-25 [--night 3,4]
        [--shift …] [--holiday …] [--training …] [--hardship …]   (days of the month)
    manage.py rules insurance --scheme vsi --jurisdiction 01 --month 2025-07 --group other
        [--income N] [--months-supported N] [--role to_vien] [--on 2025-08-15]

Exit 0 with the result; exit 2 with {"error": "…"} (Vietnamese) when a rule cannot be applied,
a parameter is missing or an argument is wrong (argparse errors included: no usage dump).
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from django.core.management.base import BaseCommand, CommandParser

from rules import calculator
from rules.base import DutyKind, RuleError
from rules.models import database_parameters

ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", "Thiếu tham số bắt buộc: {0}."),
    (r"unrecognized arguments: (.*)", "Tham số không nhận biết: {0}."),
    (r"argument (\S+): expected one argument", "Tham số {0} cần một giá trị."),
    (r"argument (\S+): expected at least one argument", "Tham số {0} cần ít nhất một giá trị."),
    (
        r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)",
        "Tham số {0}: «{1}» không hợp lệ, chọn một trong {2}.",
    ),
    (r"argument (\S+): (.*)", "Tham số {0}: {1}"),
]


def vietnamese(message: str) -> str:
    for pattern, template in ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message.strip())
        if match:
            return template.format(*match.groups())
    return f"Tham số dòng lệnh không hợp lệ: {message}"


def emit_error(stream, message: str) -> None:
    stream.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")


class JsonErrorParser(CommandParser):
    """argparse errors become {"error": …} on stdout and exit status 2, never a usage dump."""

    def error(self, message):
        emit_error(sys.stdout, vietnamese(message))
        raise SystemExit(2)


def checked(convert):
    """An argparse type from a calculator parser: its RuleError message becomes the error."""

    def parse(text):
        try:
            return convert(text)
        except RuleError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = convert.__name__
    return parse


def count(what, minimum=0):
    return checked(lambda text: calculator.parse_count(text, what, minimum=minimum))


class Command(BaseCommand):
    help = (
        "Máy tính quy định: số thành viên, mức hỗ trợ hằng tháng, bồi dưỡng làm nhiệm vụ, "
        "BHXH tự nguyện/BHYT (in JSON)."
    )
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = JsonErrorParser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="calculation",
            metavar="quota|monthly|duty|insurance",
            required=True,
            parser_class=JsonErrorParser,
        )
        jurisdiction = checked(calculator.jurisdiction_code)

        q = sub.add_parser("quota", help="Số thành viên Tổ theo quy mô khu dân cư")
        q.add_argument("--jurisdiction", required=True, type=jurisdiction)
        q.add_argument("--commune-kind", required=True, type=checked(calculator.commune_kind))
        q.add_argument("--households", required=True, type=count("Số hộ"))
        q.add_argument("--residents", type=count("Số nhân khẩu"))
        q.add_argument(
            "--on", type=checked(calculator.parse_day), help="ngày áp dụng (mặc định: hôm nay)"
        )

        m = sub.add_parser("monthly", help="Mức hỗ trợ hằng tháng của một thành viên")
        m.add_argument("--jurisdiction", required=True, type=jurisdiction)
        m.add_argument("--role", required=True, type=checked(calculator.role))
        m.add_argument("--month", required=True, type=checked(calculator.parse_month))
        m.add_argument("--village-type", type=count("Loại thôn", minimum=1))
        m.add_argument("--region", type=checked(calculator.region))
        m.add_argument(
            "--concurrent", nargs="*", default=[], type=checked(calculator.concurrent_post)
        )
        m.add_argument("--training-level")
        m.add_argument(
            "--active-days",
            type=count("Số ngày tham gia"),
            help="số ngày tham gia, tính đến ngày cuối tháng (người vào Tổ giữa tháng)",
        )

        d = sub.add_parser("duty", help="Tiền bồi dưỡng làm nhiệm vụ một tháng")
        d.add_argument("--jurisdiction", required=True, type=jurisdiction)
        d.add_argument("--month", required=True, type=checked(calculator.parse_month))
        for kind in DutyKind:
            d.add_argument(
                f"--{kind.value}", nargs="+", default=[], metavar="NGÀY",
                help=f"{kind.label}: các ngày trong tháng, ví dụ 3 10 21-25",
            )  # fmt: skip

        i = sub.add_parser("insurance", help="BHXH tự nguyện hoặc BHYT một tháng")
        i.add_argument("--scheme", required=True, type=checked(calculator.scheme))
        i.add_argument("--jurisdiction", required=True, type=jurisdiction)
        i.add_argument("--month", required=True, type=checked(calculator.parse_month))
        i.add_argument("--group", required=True, nargs="+", type=checked(calculator.group))
        i.add_argument("--income", type=count("Mức thu nhập", minimum=1))
        i.add_argument("--months-supported", type=count("Số tháng đã được hỗ trợ"), default=0)
        i.add_argument("--role", type=checked(calculator.role))
        i.add_argument(
            "--household-position",
            type=count("Thứ tự trong hộ gia đình", minimum=1),
            help="BHYT theo hộ gia đình: 1, 2, 3, 4, 5 (từ người thứ năm)",
        )
        i.add_argument(
            "--on", type=checked(calculator.parse_day), help="ngày trong tháng (mặc định: ngày 1)"
        )

    def handle(self, *args, **options):
        try:
            result = self.calculate(options)
        except (RuleError, ValueError) as exc:
            emit_error(self.stdout, str(exc))
            raise SystemExit(2) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def calculate(self, o) -> dict:
        import datetime

        params = database_parameters([o["jurisdiction"]])
        if o["calculation"] == "quota":
            return calculator.quota(
                jurisdiction=o["jurisdiction"],
                commune_kind=o["commune_kind"],
                households=o["households"],
                residents=o["residents"],
                on=o["on"] or datetime.date.today(),
                params=params,
            )
        if o["calculation"] == "monthly":
            return calculator.monthly(
                jurisdiction=o["jurisdiction"],
                role=o["role"],
                month=o["month"],
                params=params,
                village_type=o["village_type"],
                region=o["region"],
                concurrent=tuple(o["concurrent"]),
                training_level=o["training_level"],
                active_days=o["active_days"],
            )
        if o["calculation"] == "duty":
            days = {
                kind: calculator.parse_days_of_month(
                    " ".join(o[kind.value]), o["month"], f"--{kind.value}"
                )
                for kind in DutyKind
            }
            return calculator.duty(
                jurisdiction=o["jurisdiction"], month=o["month"], days=days, params=params
            )
        on = o["on"] or o["month"]
        if (on.year, on.month) != (o["month"].year, o["month"].month):
            raise RuleError("Ngày --on phải thuộc tháng --month.")
        return calculator.insurance(
            scheme=o["scheme"],
            jurisdiction=o["jurisdiction"],
            on=on,
            groups=tuple(o["group"]),
            params=params,
            income=o["income"],
            months_supported=o["months_supported"],
            role=o["role"],
            household_position=o["household_position"],
        )
