"""Finding what Heroku will build: build root, Django project, files, settings module."""

from __future__ import annotations

import json

import pytest

from django_heroku_lint.discover.projects import DiscoveryError, find_projects
from django_heroku_lint.engine import Options, lint
from django_heroku_lint.rules._baseline import project_files
from django_heroku_lint.rules.registry import get_rule

from .helpers import codes, diagnostics, git, run_cli, write_tree


REQUIREMENTS = project_files({})["requirements.txt"]


def judged(root, **options):
    (result,) = lint(Options(paths=[str(root)], **options)).projects
    return result.context.settings


def test_project_in_a_subfolder_with_procfile_at_the_root(tmp_path):
    files = {f"backend/{k}": v for k, v in project_files({}).items() if k not in ("Procfile", ".python-version", "requirements.txt")}
    files.update({"Procfile": "web: cd backend && gunicorn mysite.wsgi --log-file -\nrelease: python backend/manage.py migrate --no-input\n", ".python-version": "3.13\n", "requirements.txt": REQUIREMENTS})
    write_tree(tmp_path, files)
    (project,) = find_projects([str(tmp_path)])
    assert project.build_root == tmp_path.resolve()
    assert project.project_dir == "backend"
    assert judged(tmp_path).path == "backend/mysite/settings.py"
    assert diagnostics(tmp_path) == []


def test_version_file_in_the_subfolder_does_not_count(tmp_path):
    files = {f"backend/{k}": v for k, v in project_files({}).items() if k not in ("Procfile", "requirements.txt")}
    files.update({"Procfile": "web: gunicorn --chdir backend mysite.wsgi --log-file -\nrelease: python backend/manage.py migrate --no-input\n", "requirements.txt": REQUIREMENTS})
    write_tree(tmp_path, files)
    assert diagnostics(tmp_path) == [("DJH401", ".python-version", 1)]


# YenNhi0511/DoAnPTPMHDT's shape: the top keeps a stale Procfile and runtime.txt but
# nothing to install from; backend/ is the whole build (pushed with git subtree).
MONOREPO_BACKEND = {
    "Procfile": "# Procfile for the backend service only\nweb: gunicorn recruit.wsgi --bind 0.0.0.0:$PORT\n",
    "runtime.txt": "python-3.12.3\n",
    "frontend/package.json": '{"name": "frontend", "scripts": {"build": "vite build"}}\n',
    "backend/Procfile": "release: python manage.py migrate --no-input\nweb: gunicorn recruit.wsgi --log-file -\n",
    "backend/.python-version": "3.12\n",
    "backend/requirements.txt": REQUIREMENTS,
    "backend/manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruit.settings")\n',
    "backend/recruit/__init__.py": "",
    "backend/recruit/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruit.settings")\n',
    "backend/recruit/settings.py": project_files({})["mysite/settings.py"],
}


def test_a_subfolder_holding_the_build_under_a_top_with_nothing_to_install_is_the_build_root(tmp_path):
    write_tree(tmp_path, MONOREPO_BACKEND)
    (project,) = find_projects([str(tmp_path)])
    assert (project.build_root, project.project_dir) == (tmp_path.resolve() / "backend", "")
    assert "top has no requirements.txt" in project.build_root_reason
    assert diagnostics(tmp_path) == []  # not DJH302/DJH306 on the stale top Procfile, nor DJH402 on its runtime.txt
    shown = run_cli(["settings", str(tmp_path)])
    assert "chosen because: the repository's top has no requirements.txt" in shown.stdout
    (data,) = json.loads(run_cli(["settings", "--output-format", "json", str(tmp_path)]).stdout)
    assert data["build_root_reason"] == project.build_root_reason


def test_a_buildpacks_entry_names_the_build_root(tmp_path):
    """heroku-buildpack-subdir: the top's .buildpacks says which folder the Python build runs in."""
    files = {**MONOREPO_BACKEND, "requirements.txt": "-r backend/requirements.txt\n"}
    files[".buildpacks"] = "frontend=https://github.com/heroku/heroku-buildpack-nodejs\nbackend=https://github.com/heroku/heroku-buildpack-python\n"
    write_tree(tmp_path, files)
    (project,) = find_projects([str(tmp_path)])
    assert project.build_root == tmp_path.resolve() / "backend"
    assert project.build_root_reason == "backend/ is the app's folder in .buildpacks (heroku-buildpack-subdir)"


@pytest.mark.parametrize(
    "name, text",
    [
        ("Makefile", "deploy:\n\tgit subtree push --prefix backend heroku main\n"),
        ("package.json", '{"scripts": {"deploy:api": "git subtree push --prefix=backend heroku master"}}\n'),
        ("README.md", "## Deploy\n\n```\ngit subtree push --prefix backend heroku main\n```\n"),
    ],
)
def test_a_subtree_push_names_the_build_root_over_stale_top_files(tmp_path, name, text):
    """ThreeMDB-like: the top keeps an old requirements.txt, the deploy pushes backend/."""
    files = {**MONOREPO_BACKEND, "requirements.txt": "django==3.2\n", name: text}
    write_tree(tmp_path, files)
    (project,) = find_projects([str(tmp_path)])
    assert project.build_root == tmp_path.resolve() / "backend"
    assert project.build_root_reason == f"{name} deploys it with git subtree push --prefix backend"
    assert diagnostics(tmp_path) == []


def test_a_project_at_its_own_build_root_in_a_subfolder_is_not_doubled(tmp_path):
    """rootkwak528/ThreeMDB: backend/ is the build root and holds manage.py."""
    files = {k: v for k, v in MONOREPO_BACKEND.items() if k.startswith(("backend/", "frontend/"))}
    write_tree(tmp_path, files)
    (project,) = find_projects([str(tmp_path)])
    assert (project.build_root, project.project_dir) == (tmp_path.resolve() / "backend", "")
    verbose = run_cli(["--no-cache", "--verbose", str(tmp_path)])
    assert f"project {tmp_path.resolve() / 'backend'}: build root" in verbose.stderr
    assert "backend/backend" not in verbose.stderr
    assert "Django project in" not in run_cli(["settings", str(tmp_path)]).stdout


def test_a_path_inside_the_project_finds_it(make_project):
    root = make_project()
    (project,) = find_projects([str(root / "mysite" / "settings.py")])
    assert project.build_root == root.resolve()


def test_virtualenvs_and_node_modules_are_never_read(make_project):
    root = make_project(
        {
            "venv/pyvenv.cfg": "home = /usr/bin\n",
            "venv/lib/python3.12/site-packages/pkg/settings.py": 'ALLOWED_HOSTS = ["*"]\n',
            "venv/lib/python3.12/site-packages/pkg/manage.py": "",
            "node_modules/x/manage.py": "",
            ".venv/pyvenv.cfg": "",
            ".venv/manage.py": "",
        }
    )
    (project,) = find_projects([str(root)])
    assert not any(f.startswith(("venv/", "node_modules/", ".venv/")) for f in project.files)
    assert project.venv_dirs == (".venv", "venv")
    assert diagnostics(root) == []


def test_skipping_a_folder_keeps_its_namesakes(make_project):
    # Skipped folders are stepped over in the sorted listing: names that sort right
    # beside them ("node_modules-x", "venv.py", "venv2/") must survive.
    root = make_project(
        {
            "venv/pyvenv.cfg": "",
            "venv/x.py": "",
            "venv.py": "",
            "venv2/a.py": "",
            "node_modules/a.js": "",
            "node_modules-x/a.js": "",
            "node_modules.txt": "",
            "web/node_modules/b.js": "",
            "web/src/c.js": "",
        }
    )
    for in_git in (False, True):
        if in_git:
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-qm", "init")
        (project,) = find_projects([str(root)])
        kept = {f for f in project.files if not f.startswith(("mysite/", "manage.py"))}
        assert kept == {
            "Procfile", ".python-version", "requirements.txt", "venv.py", "venv2/a.py",
            "node_modules-x/a.js", "node_modules.txt", "web/src/c.js",
        }


def test_git_lists_tracked_and_unignored_files(make_project):
    root = make_project({".gitignore": "mysite/local_settings.py\n", "mysite/local_settings.py": "X = 1\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / "untracked.txt").write_text("x")
    (project,) = find_projects([str(root)])
    assert project.in_git
    assert "untracked.txt" in project.files
    assert "mysite/local_settings.py" not in project.files


def test_git_says_which_files_it_does_not_track_yet(make_project):
    """A file a commit would add is in the build, but not yet one a push deploys."""
    root = make_project({"mysite/local_settings.py": "DEBUG = True\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "rm", "-q", "--cached", "mysite/local_settings.py")
    git(root, "commit", "-qm", "init")
    (project,) = find_projects([str(root)])
    assert "mysite/local_settings.py" in project.files
    assert project.untracked == {"mysite/local_settings.py"}
    assert project.tracked("mysite/settings.py") and not project.tracked("mysite/local_settings.py")
    (outside_git,) = find_projects([str(make_project(subdir="walked"))])
    assert outside_git.untracked == frozenset() and not outside_git.tracked("mysite/settings.py")


def test_a_tracked_file_deleted_from_the_work_tree_is_gone(make_project):
    root = make_project({"venv/pyvenv.cfg": "", "venv/x.py": "", "docs/a.md": ""})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / ".python-version").unlink()
    (root / "venv" / "pyvenv.cfg").unlink()  # no longer a virtualenv
    (root / "docs" / "a.md").unlink()
    (root / "docs").rmdir()
    (project,) = find_projects([str(root)])
    assert ".python-version" not in project.files and "docs/a.md" not in project.files
    assert "venv/x.py" in project.files and project.venv_dirs == ()
    assert codes(root) == ["DJH401"]


def test_a_git_ignored_local_module_is_skipped(make_project):
    root = make_project(
        {
            ".gitignore": "mysite/local.py\n",
            "mysite/local.py": 'ALLOWED_HOSTS = ["*"]\n',
            "mysite/settings.py": 'ALLOWED_HOSTS = ["example.com"]\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n',
        }
    )
    git(root, "init", "-q")
    assert "DJH101" not in codes(root)


def test_no_django_project(tmp_path):
    (tmp_path / "README.md").write_text("hello")
    with pytest.raises(DiscoveryError, match="no Django project found"):
        find_projects([str(tmp_path)])


def test_missing_path(tmp_path):
    with pytest.raises(DiscoveryError, match="no such file"):
        find_projects([str(tmp_path / "nope")])


def test_several_projects_in_a_monorepo(tmp_path):
    for service in ("one", "two"):
        write_tree(tmp_path / service, project_files({}))
    write_tree(tmp_path / "two", {"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})
    projects = find_projects([str(tmp_path)])
    assert sorted(p.build_root.name for p in projects) == ["one", "two"]
    assert [(c, p) for c, p, _ in diagnostics(tmp_path, select=["DJH101"])] == [("DJH101", "mysite/settings.py")]


def two_sites(root):
    """One build root holding two Django projects, site_a/manage.py and site_b/manage.py,
    whose Procfile lacks --log-file (DJH302)."""
    files: dict[str, str] = {}
    for name, text in project_files({"Procfile": "web: gunicorn mysite.wsgi\n"}).items():
        if text is None:
            continue
        if name == "manage.py" or name.startswith("mysite/"):
            files[f"site_a/{name}"] = files[f"site_b/{name}"] = text
        else:
            files[name] = text
    return write_tree(root, files)


def test_two_django_projects_under_one_build_root_print_each_problem_once(tmp_path):
    two_sites(tmp_path)
    result = run_cli(["--no-cache", str(tmp_path)])
    procfile = [line for line in result.stdout.splitlines() if "/Procfile:" in line]
    assert procfile and len(procfile) == len(set(procfile)), result.stdout
    items = json.loads(run_cli(["--no-cache", "--output-format", "json", str(tmp_path)]).stdout)
    keys = [(i["code"], i["filename"], i["location"]["row"], i["location"]["column"], i["message"]) for i in items]
    assert len(keys) == len(set(keys)) and any(code == "DJH302" for code, *_ in keys)
    assert f"Found {len(keys)} problem" in result.stderr


def test_the_rules_on_the_build_files_run_once_per_build_root(tmp_path, monkeypatch):
    two_sites(tmp_path)
    calls: list[str] = []
    for code in ("DJH302", "DJH101"):  # the Procfile's rule, and a rule on each project's settings
        rule = get_rule(code)
        assert rule is not None
        monkeypatch.setattr(rule, "check", lambda self, ctx, check=rule.check: calls.append(self.code) or check(self, ctx))
    assert len(lint(Options(paths=[str(tmp_path)], cache=False)).projects) == 2
    assert sorted(calls) == ["DJH101", "DJH101", "DJH302"]



def committed_monorepo(root):
    """Two services with a Procfile each, and a committed node_modules, all in one repository."""
    for service in ("one", "two"):
        write_tree(root / "services" / service, project_files({}))
    write_tree(root, {"README.md": "", "frontend/node_modules/pkg/index.js": "", "frontend/node_modules/pkg/manage.py": ""})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def test_in_git_only_the_builds_linted_are_listed(tmp_path, monkeypatch):
    from django_heroku_lint.discover import projects as discovery

    root = committed_monorepo(tmp_path)
    walked = []
    real = discovery._git_list
    monkeypatch.setattr(discovery, "_git_list", lambda top, *args: walked.append(args) or real(top, *args))
    found = discovery.locate_projects([str(root)])
    assert [(item.build_root, item.project_dir) for item in found] == [("services/one", "services/one"), ("services/two", "services/two")]
    assert walked == [("--cached", "--", "*manage.py", "*pyvenv.cfg")]  # the index alone: no walk of the work tree
    projects = discovery.list_projects(found)
    assert "--others" in walked[1] and walked[1][-2:] == (":(literal)services/one", ":(literal)services/two")
    assert all(not f.startswith("frontend") for p in projects for f in p.files)
    assert sorted(p.build_root.name for p in projects) == ["one", "two"]


def test_a_project_git_does_not_track_yet_is_found_by_its_folder(tmp_path):
    root = committed_monorepo(tmp_path)
    write_tree(root / "services" / "three", project_files({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'}))
    assert sorted(p.build_root.name for p in find_projects([str(root)])) == ["one", "two"]  # tracked projects only
    (project,) = find_projects([str(root / "services" / "three")])
    assert project.build_root.name == "three" and "mysite/settings.py" in project.files
    assert codes(root / "services" / "three", select=["DJH101"]) == ["DJH101"]


def test_a_listed_build_keeps_untracked_files_and_drops_deleted_ones(tmp_path):
    root = committed_monorepo(tmp_path)
    one = root / "services" / "one"
    (one / "mysite" / "local.py").write_text("X = 1\n")
    (one / ".python-version").unlink()
    (project,) = find_projects([str(one)])
    assert "mysite/local.py" in project.files and ".python-version" not in project.files
    (root / "services" / "two" / "manage.py").unlink()  # a tracked manage.py deleted: no project there
    assert [p.build_root.name for p in find_projects([str(root)])] == ["one"]


# ---------------------------------------------------------------- which settings module


SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": "DEBUG = False\n",
    "mysite/settings/dev.py": "from .base import *\n",
    "mysite/settings/production.py": "from .base import *\n",
    "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")\n',
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")\n',
}


def test_production_sibling_wins_over_the_wsgi_default(make_project):
    choice = judged(make_project(SPLIT))
    assert choice.module == "mysite.settings.production"
    assert "production module beside mysite.settings.dev" in choice.reason


def test_the_configured_module_wins(make_project):
    root = make_project({**SPLIT, "pyproject.toml": '[tool.djhlint]\nsettings-module = "mysite.settings.dev"\n'})
    assert judged(root).module == "mysite.settings.dev"
    assert judged(root, settings_module="mysite.settings.base").module == "mysite.settings.base"


def test_procfile_env_wins_over_the_sibling(make_project):
    root = make_project({**SPLIT, "Procfile": "web: DJANGO_SETTINGS_MODULE=mysite.settings.dev gunicorn mysite.wsgi --log-file -\n"})
    assert judged(root).reason.startswith("DJANGO_SETTINGS_MODULE set in the Procfile")


def test_app_json_env(make_project):
    root = make_project({**SPLIT, "app.json": '{"env": {"DJANGO_SETTINGS_MODULE": {"value": "mysite.settings.base"}}}'})
    assert judged(root).module == "mysite.settings.base"


def test_wsgi_default_without_a_production_module(make_project):
    root = make_project({**SPLIT, "mysite/settings/production.py": None})
    assert judged(root).module == "mysite.settings.dev"


def test_manage_py_when_there_is_no_wsgi(make_project):
    root = make_project({**SPLIT, "mysite/settings/production.py": None, "mysite/wsgi.py": None})
    choice = judged(root)
    assert choice.module == "mysite.settings.dev" and "manage.py" in choice.reason


def test_production_forgets_to_override_base(make_project):
    root = make_project({**SPLIT, "mysite/settings/base.py": 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "k"\n'})
    assert codes(root, select=["DJH101", "DJH102"]) == ["DJH101", "DJH102"]
    assert {p for _, p, _ in diagnostics(root, select=["DJH101", "DJH102"])} == {"mysite/settings/base.py"}


def test_production_overrides_base(make_project):
    root = make_project(
        {
            **SPLIT,
            "mysite/settings/base.py": 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "k"\n',
            "mysite/settings/production.py": 'from .base import *\nimport os\nALLOWED_HOSTS = ["example.com"]\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
        }
    )
    assert codes(root, select=["DJH101", "DJH102"]) == []


def test_settings_module_named_but_missing_is_an_error(make_project):
    from django_heroku_lint.read.config import ConfigError

    with pytest.raises(ConfigError, match=r"nope\.settings"):
        judged(make_project(), settings_module="nope.settings")


def test_the_deploy_scripts_are_read_once_for_every_path_a_hook_passes(tmp_path, monkeypatch):
    """A pre-commit hook passes each file of the commit: the top's .buildpacks, Makefile and
    README tell every one of them the same build root, so each is read once, not once a path."""
    from django_heroku_lint.discover import projects

    files = {**MONOREPO_BACKEND, "requirements.txt": "django==3.2\n", "Makefile": "deploy:\n\tgit subtree push --prefix backend heroku main\n"}
    write_tree(tmp_path, files)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    reads: list[str] = []
    read_file = projects.read_file
    monkeypatch.setattr(projects, "read_file", lambda path, *args, **kwargs: reads.append(path.name) or read_file(path, *args, **kwargs))
    paths = [str(tmp_path / name) for name in files if name.startswith("backend/")]
    found = find_projects(paths)
    assert [p.build_root for p in found] == [tmp_path.resolve() / "backend"]
    assert reads.count("Makefile") == 1
