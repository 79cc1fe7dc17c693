# The grader (kernel.py) puts this file in front of every check cell, after one line
# that sets _grader_folder (the check helper package's folder, read-only) and
# _grader_modules (its modules, each after those it imports). The package runs
# afresh: each module's source is read and compiled here, and each module is put
# into sys.modules (under its own name, replacing whatever is there) before anything
# imports it, so that the package's relative imports find these modules and never
# ask the kernel's import system (finders, path hooks, caches, .pyc files), which
# the student's code may have changed. Every name starts with _grader_ and is
# deleted at the end: the check cell sees only `bookutils`.
import sys as _grader_sys, types as _grader_types  # noqa: E401


def _grader_module(name, path, folder=None):
    module = _grader_types.ModuleType(name)
    module.__file__, module.__package__ = path, "bookutils"
    if folder:
        module.__path__ = [folder]
    _grader_sys.modules[name] = module
    with open(path, encoding="utf-8") as source:
        return module, compile(source.read(), path, "exec")


_grader_code = [_grader_module("bookutils." + name, _grader_folder + "/" + name + ".py")  # noqa: F821
                for name in _grader_modules]  # noqa: F821
_grader_code.append(_grader_module("bookutils", _grader_folder + "/__init__.py", _grader_folder))  # noqa: F821
for _grader_part, _grader_compiled in _grader_code:
    exec(_grader_compiled, _grader_part.__dict__)
bookutils = _grader_part
del _grader_sys, _grader_types, _grader_module, _grader_code, _grader_part, _grader_compiled
del _grader_folder, _grader_modules  # noqa: F821
