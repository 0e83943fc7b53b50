"""The rule registry: one module per rule, named after its code and slug."""

from __future__ import annotations

from .rule import Rule
from .djh000_parse_error import ParseErrorRule
from .djh001_settings_module_unresolved import SettingsModuleUnresolved
from .djh101_allowed_hosts_wildcard import AllowedHostsWildcard
from .djh102_hardcoded_secret_key import HardcodedSecretKey
from .djh103_debug_env_not_bool import DebugEnvNotBool
from .djh104_debug_true import DebugTrue
from .djh105_allowed_hosts_unusable import AllowedHostsUnusable
from .djh106_csrf_trusted_origins_scheme import CsrfTrustedOriginsScheme
from .djh107_ssl_redirect_loop import SslRedirectLoop
from .djh108_settings_module_defaults_to_dev import SettingsModuleDefaultsToDev
from .djh109_debug_toolbar_in_production import DebugToolbarInProduction
from .djh201_whitenoise_missing import WhitenoiseMissing
from .djh202_whitenoise_misplaced import WhitenoiseMisplaced
from .djh203_static_root_missing import StaticRootMissing
from .djh204_staticfiles_storage_removed import StaticfilesStorageRemoved
from .djh205_storages_missing_default import StoragesMissingDefault
from .djh206_whitenoise_legacy_import import WhitenoiseLegacyImport
from .djh301_procfile_misnamed import ProcfileMisnamed
from .djh302_procfile_log_file_missing import ProcfileLogFileMissing
from .djh303_procfile_missing import ProcfileMissing
from .djh304_procfile_no_web import ProcfileNoWeb
from .djh305_procfile_malformed import ProcfileMalformed
from .djh306_procfile_module_not_found import ProcfileModuleNotFound
from .djh401_python_version_missing import PythonVersionMissing
from .djh402_runtime_txt_deprecated import RuntimeTxtDeprecated
from .djh403_python_version_invalid import PythonVersionInvalid
from .djh404_python_version_unsupported import PythonVersionUnsupported
from .djh501_sqlite_database import SqliteDatabase
from .djh601_requirement_missing import RequirementMissing
from .djh602_requirements_unreadable import RequirementsUnreadable
from .djh603_dotenv_committed import DotenvCommitted
from .djh604_django_heroku_deprecated import DjangoHerokuDeprecated
from .djh605_package_manager_conflict import PackageManagerConflict
from .djh606_node_buildpack_trap import NodeBuildpackTrap

ALL_RULES: list[type[Rule]] = sorted(
    [
        ParseErrorRule,
        SettingsModuleUnresolved,
        AllowedHostsWildcard,
        HardcodedSecretKey,
        DebugEnvNotBool,
        DebugTrue,
        AllowedHostsUnusable,
        CsrfTrustedOriginsScheme,
        SslRedirectLoop,
        SettingsModuleDefaultsToDev,
        DebugToolbarInProduction,
        WhitenoiseMissing,
        WhitenoiseMisplaced,
        StaticRootMissing,
        StaticfilesStorageRemoved,
        StoragesMissingDefault,
        WhitenoiseLegacyImport,
        ProcfileMisnamed,
        ProcfileLogFileMissing,
        ProcfileMissing,
        ProcfileNoWeb,
        ProcfileMalformed,
        ProcfileModuleNotFound,
        PythonVersionMissing,
        RuntimeTxtDeprecated,
        PythonVersionInvalid,
        PythonVersionUnsupported,
        SqliteDatabase,
        RequirementMissing,
        RequirementsUnreadable,
        DotenvCommitted,
        DjangoHerokuDeprecated,
        PackageManagerConflict,
        NodeBuildpackTrap,
    ],
    key=lambda rule: rule.code,
)


def get_rule(selector: str) -> type[Rule] | None:
    for rule in ALL_RULES:
        if rule.code == selector.upper() or rule.name == selector.lower():
            return rule
    return None
