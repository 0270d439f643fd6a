"""Build the demo described in the README. It lives in `workspace`, the top of the dependency
chain, so that it may call every app's demo part in order."""

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from allowances import demo as allowances_demo
from carryover import demo as carryover_demo
from insurance import demo as insurance_demo
from mediation import demo as mediation_demo
from reporting import demo as reporting_demo
from safe_areas import demo as safe_areas_demo
from teams import demo as teams_demo
from teams.models import AdministrativeUnit
from teams.official_units import units_import


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (Phú Thọ 2024–25, Cần Thơ mới) và các tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (không dùng trên máy chủ thật).",
        )
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu mẫu cũ rồi tạo lại.")
        parser.add_argument("--seed", type=int, default=2024, help="Hạt giống ngẫu nhiên.")

    def handle(self, *args, force: bool, reset: bool, seed: int, **options):
        if not getattr(settings, "ANTT_DEMO_ALLOWED", True):
            raise CommandError(
                "Từ chối tạo dữ liệu mẫu với cấu hình chạy thật (config.settings.production): "
                "tài khoản mẫu có mật khẩu công khai. Dùng máy thử nghiệm với "
                "config.settings.local."
            )
        if not (settings.DEBUG or force):
            raise CommandError(
                "Từ chối tạo dữ liệu mẫu khi DEBUG tắt: tài khoản mẫu có mật khẩu công khai. "
                "Chỉ dùng --force trên máy thử nghiệm."
            )
        if not AdministrativeUnit.objects.exists():
            self.stdout.write("Chưa có đơn vị hành chính: nạp từ gói vietnam-provinces trước.")
            units_import(progress=self.stdout.write)
        if teams_demo.demo_users_exist():
            if not reset:
                self.stdout.write("Dữ liệu mẫu đã có (dùng --reset để tạo lại).")
                return
            mediation_demo.remove_mediation()
            safe_areas_demo.remove_safe_areas()
            reporting_demo.remove_reports()
            insurance_demo.remove_insurance()
            allowances_demo.remove_runs()
            carryover_demo.remove_carry_over()
            teams_demo.remove_demo()
        rng = random.Random(seed)
        teams_demo.seed_areas_and_users(rng=rng)
        totals = teams_demo.seed_rosters(rng=rng)
        self.stdout.write(
            f"Danh sách Tổ: {totals['teams']} Tổ, {totals['members']} lượt tham gia, "
            f"{totals['ended']} người thôi tham gia"
            + (
                f"; {totals['fallback_teams']} Tổ chưa tính được định mức (03 thành viên)."
                if totals["fallback_teams"]
                else "."
            )
        )
        enrolled = insurance_demo.seed_enrolments(rng=rng)
        carried = carryover_demo.seed_carry_over()
        self.stdout.write(
            f"Chuyển giao sau sắp xếp: Xã Lâm Thao (mới) nhận {carried['areas']} khu dân cư, "
            f"{carried['teams']} Tổ, {carried['memberships']} thành viên ({carried['enrolments']} "
            f"đăng ký BHXH tự nguyện, BHYT tiếp tục) của Thị trấn Lâm Thao và Thị trấn Hùng Sơn; "
            f"Xã Xuân Lũng (mới) để người dùng tự chuyển giao."
        )
        runs = allowances_demo.seed_runs(rng=rng)
        self.stdout.write(
            f"Chi trả hỗ trợ: {runs['runs']} kỳ, {runs['approved']} kỳ đã duyệt, "
            f"{runs['duty']} ngày làm nhiệm vụ được ghi; {runs['blocked']} kỳ chờ bổ sung tham số."
        )
        insured = enrolled | insurance_demo.seed_insurance(rng=rng)
        self.stdout.write(
            f"BHXH tự nguyện, BHYT: {insured['vsi']} người BHXH tự nguyện, {insured['hi']} người "
            f"BHYT; {insured['lists']} danh sách quý, {insured['approved']} đã duyệt; "
            f"{insured['incidents']} hồ sơ hỗ trợ rủi ro."
        )
        reports = reporting_demo.seed_reports(rng=rng)
        self.stdout.write(
            f"Báo cáo: {reports['reports']} báo cáo của xã ({reports['late']} gửi muộn), "
            f"{reports['courses']} lớp huấn luyện."
        )
        mediated = mediation_demo.seed_mediation(rng=rng)
        self.stdout.write(
            f"Hòa giải ở cơ sở: {mediated['teams']} Tổ hòa giải, {mediated['mediators']} hòa giải "
            f"viên ({mediated['shared']} cũng là thành viên Tổ bảo vệ ANTT), {mediated['cases']} vụ "
            f"việc, {mediated['lists']} danh sách thù lao."
        )
        safe = safe_areas_demo.seed_safe_areas(rng=rng)
        self.stdout.write(
            f"An toàn về ANTT: {safe['area_years']} năm đánh giá khu dân cư, "
            f"{safe['models']} mô hình tự quản, {safe['establishments']} cơ quan, trường."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu. Mật khẩu mọi tài khoản mẫu: {teams_demo.DEMO_PASSWORD}"
            )
        )
