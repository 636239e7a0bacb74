from django.db import models
from django.utils.translation import gettext_lazy as _


class Chamber(models.TextChoices):
    IHK_DORTMUND = "ihk_do", _("IHK zu Dortmund")
    IHK_MITTLERES_RUHRGEBIET = "ihk_mr", _("IHK Mittleres Ruhrgebiet")
    SIHK_HAGEN = "sihk_ha", _("SIHK zu Hagen")
    HWK_DORTMUND = "hwk_do", _("Handwerkskammer Dortmund")


class LegalForm(models.TextChoices):
    GMBH = "gmbh", "GmbH"
    UG = "ug", "UG (haftungsbeschränkt)"
    GMBH_CO_KG = "gmbh_co_kg", "GmbH & Co. KG"
    KG = "kg", "KG"
    OHG = "ohg", "OHG"
    AG = "ag", "AG"
    EK = "ek", "e. K."
    GBR = "gbr", "GbR"
    SOLE = "sole", _("Sole proprietorship")
    OTHER = "other", _("Other")


class WZSection(models.TextChoices):
    """Sections of the German classification of economic activities (WZ 2008)."""

    A = "A", _("A – Agriculture, forestry and fishing")
    B = "B", _("B – Mining and quarrying")
    C = "C", _("C – Manufacturing")
    D = "D", _("D – Electricity, gas, steam and air conditioning supply")
    E = "E", _("E – Water supply, sewerage, waste management")
    F = "F", _("F – Construction")
    G = "G", _("G – Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("H – Transportation and storage")
    I = "I", _("I – Accommodation and food service activities")  # noqa: E741
    J = "J", _("J – Information and communication")
    K = "K", _("K – Financial and insurance activities")
    L = "L", _("L – Real estate activities")
    M = "M", _("M – Professional, scientific and technical activities")
    N = "N", _("N – Administrative and support service activities")
    O = "O", _("O – Public administration and defence")  # noqa: E741
    P = "P", _("P – Education")
    Q = "Q", _("Q – Human health and social work activities")
    R = "R", _("R – Arts, entertainment and recreation")
    S = "S", _("S – Other service activities")
    T = "T", _("T – Activities of households as employers")
    U = "U", _("U – Activities of extraterritorial organisations")
