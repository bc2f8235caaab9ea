import { describe, expect, it } from 'vitest';
import { listedCommands } from '../../src/risk/runnerConfigCommands.js';

describe('commands listed by task runner configurations', () => {
  it('reads Pipfile and pyproject.toml script tables, and nothing from other tables', () => {
    const pyproject = [
      '[project]', 'name = "x"', 'description = "rm -rf ~ is not a command here"',
      '[tool.poe.tasks]', 'test = "pytest -q"', 'lint = { cmd = "ruff check ." }', 'seq = ["fmt", "lint"]',
      '[tool.poe.tasks.build]', 'help = "builds"', 'shell = "python -m build && twine check dist/*"',
      '[tool.pdm.scripts]', "start = 'flask run'", 'dev = {shell = "npm run dev"}',
      '[tool.hatch.envs.default.scripts]', 'cov = "pytest --cov"',
      '[tool.ruff]', 'line-length = 100',
    ].join('\n');
    expect(listedCommands('/w/pyproject.toml', pyproject)).toEqual([
      'pytest -q', 'ruff check .', 'fmt', 'lint', 'python -m build && twine check dist/*', 'flask run', 'npm run dev', 'pytest --cov',
    ]);
    expect(listedCommands('/w/Pipfile', '[packages]\nrequests = "*"\n[scripts]\nserve = "python -m http.server"\n')).toEqual(['python -m http.server']);
  });

  it("reads CMake's COMMAND arguments up to the next keyword, cmake -E rm as rm", () => {
    const cmake = [
      'cmake_minimum_required(VERSION 3.10)',
      'execute_process(COMMAND git rev-parse HEAD OUTPUT_VARIABLE rev WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})',
      'add_custom_target(clean-all COMMAND ${CMAKE_COMMAND} -E remove_directory ${CMAKE_BINARY_DIR}/gen COMMAND echo "done now" VERBATIM)',
      'add_custom_command(OUTPUT a.h COMMAND python3 gen.py DEPENDS gen.py)',
      'message(STATUS "COMMAND rm -rf ~ is only text")',
    ].join('\n');
    expect(listedCommands('/w/CMakeLists.txt', cmake)).toEqual(['git rev-parse HEAD', 'rm -rf x/gen', "echo 'done now'", 'python3 gen.py']);
    expect(listedCommands('/w/cmake/tools.cmake', 'execute_process(COMMAND rm -rf $ENV{HOME})')).toEqual(['rm -rf ~']);
  });

  it('reads husky 4 hooks from .huskyrc', () => {
    expect(listedCommands('/w/.huskyrc', '{"hooks":{"pre-commit":"lint-staged","pre-push":"npm test"}}')).toEqual(['lint-staged', 'npm test']);
    expect(listedCommands('/w/.huskyrc.json', 'not json')).toEqual([]);
  });
});
