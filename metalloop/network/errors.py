from enum import StrEnum


class ErrorCode(StrEnum):
    ROLE_UNKNOWN = "role_unknown"
    COMPETENCE_UNKNOWN = "competence_unknown"
    NETWORK_UNKNOWN = "network_unknown"
    NETWORK_REQUIRED = "network_required"
    PLACE_UNKNOWN = "place_unknown"
    PLACE_AMBIGUOUS = "place_ambiguous"
    COORDINATES_INCOMPLETE = "coordinates_incomplete"
    STATE_REQUIRED = "state_required"
    ORGANISATION_HAS_USERS = "organisation_has_users"
