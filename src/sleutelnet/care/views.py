"""Care pages: the coordinator's overview and per-key-person care page, trainings, and the key
person's own experience statement (page and PDF)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sleutelnet.care import selectors, services
from sleutelnet.care.forms import (
    AgreementForm,
    AttendanceForm,
    BirthDateForm,
    CertificateForm,
    CheckInForm,
    CourseForm,
    SessionForm,
    StepForm,
    VogForm,
)
from sleutelnet.care.models import (
    Certificate,
    CheckIn,
    Course,
    ExperienceStatement,
    TrainingSession,
)
from sleutelnet.care.pdf import statement_pdf
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Role
from sleutelnet.core.selectors import region_ids
from sleutelnet.people.models import KeyPerson, KeyPersonStatus
from sleutelnet.people.selectors import key_persons_for
from sleutelnet.web.forms import attach_domain_error


def _regions(request: HttpRequest) -> list[int]:
    return sorted(region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def _kp(request: HttpRequest, uuid: UUID) -> KeyPerson:
    return get_object_or_404(key_persons_for(request.user).filter(region_id__in=_regions(request)), uuid=uuid)  # type: ignore[arg-type]


def _courses(request: HttpRequest) -> QuerySet[Course]:
    return Course.objects.filter(region_id__in=_regions(request)).order_by("name")


def overview(request: HttpRequest) -> HttpResponse:
    """The pipeline, the spread of work, who could use a check-in and whose VOG ends soon."""
    import datetime as dt

    regions, today = _regions(request), clock.today()
    loads = selectors.workload(regions, today)
    recent = sorted((x.last_90_days for x in loads), reverse=True)
    total = sum(recent)
    context = {
        "stages": selectors.pipeline(regions),
        "loads": loads,
        "overloaded": [x for x in loads if x.overloaded],
        "idle": [x for x in loads if not x.last_90_days and x.key_person.status == KeyPersonStatus.ACTIVE],
        "top5_pct": round(100 * sum(recent[:5]) / total) if total else None,
        "suggestions": selectors.check_in_suggestions(regions, today),
        "vog_ending": KeyPerson.objects.filter(
            region_id__in=regions, vog_valid_until__gte=today, vog_valid_until__lt=today + dt.timedelta(days=60),
            anonymised_at__isnull=True,
        ).order_by("vog_valid_until"),
        "today": today,
    }
    return render(request, "care/overview.html", context)


def _page(request: HttpRequest, kp: KeyPerson, **bound: forms.Form) -> HttpResponse:
    today = clock.today()
    forms_ = {
        "step_form": StepForm(initial={"done_on": today}),
        "vog_form": VogForm(initial={"issued_on": kp.vog_issued_on or today}),
        "agreement_form": AgreementForm(initial={"kind": "volunteer", "starts_on": today, "signed_on": today}),
        "birth_form": BirthDateForm(initial={"born_on": kp.born_on}),
        "certificate_form": CertificateForm(courses=_courses(request).filter(gives_certificate=True), initial={"issued_on": today}),
        "check_in_form": CheckInForm(initial={"on": today}),
    }
    forms_.update(bound)
    context: dict[str, Any] = {
        "kp": kp,
        "checklist": selectors.checklist(kp),
        "agreement": selectors.agreement_on(kp, today),
        "agreements": kp.agreements.all(),
        "certificates": Certificate.objects.filter(key_person=kp).select_related("course"),
        "check_ins": CheckIn.objects.filter(key_person=kp).select_related("by")[:20],
        "statements": ExperienceStatement.objects.filter(key_person=kp).select_related("signed_by")[:5],
        "today": today,
        **forms_,
    }
    status = 400 if any(f.is_bound and f.errors for f in bound.values()) else 200
    return render(request, "care/key_person.html", context, status=status)


def key_person(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One key person's onboarding, agreement, trainings, check-ins and experience statement."""
    return _page(request, _kp(request, uuid))


def _act(request: HttpRequest, uuid: UUID, form_name: str, form: forms.Form, run: Any, done: str) -> HttpResponse:
    kp = _kp(request, uuid)
    if form.is_valid():
        try:
            run(kp, form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("care:key_person", uuid=kp.uuid)
    return _page(request, kp, **{form_name: form})


@require_POST
def complete_step(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _act(
        request, uuid, "step_form", StepForm(request.POST),
        lambda kp, d: services.complete_step(actor=request.user, key_person=kp, step=d["step"], done_on=d["done_on"], note=d["note"]),
        _("The step is ticked off."),
    )


@require_POST
def record_vog(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _act(
        request, uuid, "vog_form", VogForm(request.POST),
        lambda kp, d: services.record_vog(actor=request.user, key_person=kp, issued_on=d["issued_on"]),
        _("The VOG is recorded."),
    )


@require_POST
def record_agreement(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _act(
        request, uuid, "agreement_form", AgreementForm(request.POST),
        lambda kp, d: services.record_agreement(actor=request.user, key_person=kp, **d),
        _("The agreement is recorded."),
    )


@require_POST
def record_birth_date(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _act(
        request, uuid, "birth_form", BirthDateForm(request.POST),
        lambda kp, d: services.record_birth_date(actor=request.user, key_person=kp, born_on=d["born_on"]),
        _("The date of birth is saved."),
    )


@require_POST
def issue_certificate(request: HttpRequest, uuid: UUID) -> HttpResponse:
    form = CertificateForm(request.POST, courses=_courses(request).filter(gives_certificate=True))
    return _act(
        request, uuid, "certificate_form", form,
        lambda kp, d: services.issue_certificate(actor=request.user, key_person=kp, course=d["course"], issued_on=d["issued_on"]),
        _("The certificate is recorded."),
    )


@require_POST
def log_check_in(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _act(
        request, uuid, "check_in_form", CheckInForm(request.POST),
        lambda kp, d: services.log_check_in(actor=request.user, key_person=kp, on=d["on"], reason=d["reason"], note=d["note"]),
        _("The check-in is logged."),
    )


@require_POST
def activate(request: HttpRequest, uuid: UUID) -> HttpResponse:
    kp = _kp(request, uuid)
    try:
        services.activate(actor=request.user, key_person=kp)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The key person is active and can be offered work."))
    return redirect("care:key_person", uuid=kp.uuid)


@require_POST
def sign_statement(request: HttpRequest, uuid: UUID) -> HttpResponse:
    kp = _kp(request, uuid)
    try:
        services.sign_experience_statement(actor=request.user, key_person=kp)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The experience statement is signed. The key person can download it."))
    return redirect("care:key_person", uuid=kp.uuid)


def statement_download(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The coordinator's copy of the latest signed statement, as PDF."""
    kp = _kp(request, uuid)
    statement = ExperienceStatement.objects.filter(key_person=kp).select_related("signed_by").first()
    if statement is None:
        raise Http404
    return _pdf_response(statement)


def _pdf_response(statement: ExperienceStatement) -> HttpResponse:
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ervaringsverklaring-{statement.signed_on:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- trainings --------------------------------------------------------------------------------


def trainings(request: HttpRequest) -> HttpResponse:
    """Courses and peer meetings of the region; a new course."""
    from sleutelnet.core.models import Region

    form = CourseForm(request.POST or None, regions=Region.objects.filter(pk__in=_regions(request)).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The training is added."))
            return redirect("care:course", uuid=course.uuid)
    courses = _courses(request).prefetch_related("sessions")
    return render(request, "care/trainings.html", {"courses": courses, "form": form}, status=400 if form.errors else 200)


def course(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A course with its sessions; plan a session."""
    c = get_object_or_404(_courses(request), uuid=uuid)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.plan_session(actor=request.user, course=c, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The session is planned."))
            return redirect("care:session", uuid=session.uuid)
    sessions = c.sessions.all()
    return render(request, "care/course.html", {"course": c, "sessions": sessions, "form": form}, status=400 if form.errors else 200)


def session(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Attendance of one session: tick who came."""
    s = get_object_or_404(TrainingSession.objects.filter(course__region_id__in=_regions(request)).select_related("course"), uuid=uuid)
    people = KeyPerson.objects.filter(
        region_id=s.course.region_id, anonymised_at__isnull=True,
        status__in=(KeyPersonStatus.CANDIDATE, KeyPersonStatus.ACTIVE, KeyPersonStatus.PAUSED),
    ).order_by("full_name")
    present = list(s.attendance.filter(attended=True).values_list("key_person_id", flat=True))
    form = AttendanceForm(request.POST or None, people=people, initial={"present": present})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(actor=request.user, session=s, present=list(form.cleaned_data["present"]))  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("care:session", uuid=s.uuid)
    return render(request, "care/session.html", {"session": s, "form": form}, status=400 if form.errors else 200)


# --- the key person's own statement ------------------------------------------------------------


def my_experience(request: HttpRequest) -> HttpResponse:
    """The key person's experience: what Sleutelnet knows, and the latest signed statement."""
    kp = getattr(request.user, "key_person", None)
    if kp is None:
        raise Http404
    statement = ExperienceStatement.objects.filter(key_person=kp).select_related("signed_by").first()
    return render(
        request, "care/my_experience.html",
        {"kp": kp, "statement": statement, "now": selectors.experience(kp, clock.today()), "portal_only": True},
    )


def my_experience_pdf(request: HttpRequest) -> HttpResponse:
    kp = getattr(request.user, "key_person", None)
    statement = ExperienceStatement.objects.filter(key_person=kp).select_related("signed_by").first() if kp else None
    if statement is None:
        raise Http404
    return _pdf_response(statement)
