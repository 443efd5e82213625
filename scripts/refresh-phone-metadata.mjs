#!/usr/bin/env node
// Regenerates data/phone-metadata.json from Google's libphonenumber metadata as
// compiled by the npm package libphonenumber-js (its metadata.max.json).
//
//   npm install --save-dev --save-exact libphonenumber-js@<version>
//   (and PHONENUMBERS_VERSION in scripts/setup.sh: the PyPI release of the same metadata)
//   node scripts/refresh-phone-metadata.mjs          # rewrite the file
//   node scripts/refresh-phone-metadata.mjs --check  # exit 1 when it is stale
//
// `--check` also holds both referees to wasend's metadata release: libphonenumber-js
// (the source, and the corpus's referee) and PyPI's phonenumbers in .venv (Google's
// own port, tests/phone/examples.py's referee). build.rs compiles the JSON into
// automata; nothing here is hand-edited.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('libphonenumber-js/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const meta = JSON.parse(readFileSync(join(pkgDir, 'metadata.max.json'), 'utf8'));
const changelog = readFileSync(join(pkgDir, 'CHANGELOG.md'), 'utf8');
const metadataVersion = /Updated metadata to version (\d+\.\d+\.\d+)/.exec(changelog)?.[1];
if (!metadataVersion) throw new Error('no metadata version in libphonenumber-js CHANGELOG.md');
if (meta.version !== 4) throw new Error(`unsupported metadata layout ${meta.version}`);

// Order of libphonenumber-js's compressed type list (source/metadata.js, getType).
const TYPES = ['fixed_line', 'mobile', 'toll_free', 'premium_rate', 'personal_number',
  'voicemail', 'uan', 'pager', 'voip', 'shared_cost'];

function plan(a) {
  // Indices of the version-4 compressed numbering plan (source/metadata.js).
  const out = {
    calling_code: a[0],
    idd: a[1] || null,
    pattern: a[2],
    lengths: a[3] || [],
    national_prefix: a[5] || null,
    national_prefix_for_parsing: a[7] || null,
    national_prefix_transform: a[8] || null,
    leading_digits: a[10] || null,
    types: {},
  };
  const types = a[11] || [];
  TYPES.forEach((name, i) => {
    const t = types[i];
    if (t) out.types[name] = { pattern: t[0], lengths: t[1] || null };
  });
  return out;
}

const regions = {};
for (const id of Object.keys(meta.countries).sort()) regions[id] = plan(meta.countries[id]);
const nonGeographic = {};
for (const cc of Object.keys(meta.nonGeographic || {}).sort()) nonGeographic[cc] = plan(meta.nonGeographic[cc]);

const out = {
  source: `libphonenumber-js@${pkg.version} metadata.max.json`,
  metadata_version: metadataVersion,
  license: 'Apache-2.0, Google libphonenumber PhoneNumberMetadata.xml',
  calling_codes: meta.country_calling_codes,
  regions,
  non_geographic: nonGeographic,
};
const text = JSON.stringify(out, null, 1) + '\n';
const target = join(root, 'data', 'phone-metadata.json');
if (process.argv.includes('--check')) {
  let python;
  try {
    python = execFileSync(join(root, '.venv', 'bin', 'python'), ['-c', 'import phonenumbers; print(phonenumbers.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    console.error('phonenumbers is not in .venv: run scripts/setup.sh');
    process.exit(1);
  }
  if (python !== metadataVersion) {
    console.error(`phonenumbers ${python} in .venv carries metadata ${python}; wasend's (libphonenumber-js@${pkg.version}) is ${metadataVersion}`);
    process.exit(1);
  }
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
  if (current !== text) {
    console.error(`data/phone-metadata.json is not what libphonenumber-js@${pkg.version} gives; run node scripts/refresh-phone-metadata.mjs`);
    process.exit(1);
  }
  console.log(`phone metadata ${metadataVersion} matches libphonenumber-js@${pkg.version}, and phonenumbers ${python} carries the same release`);
} else {
  writeFileSync(target, text);
  console.log(`wrote data/phone-metadata.json: metadata ${metadataVersion} from libphonenumber-js@${pkg.version}`);
}
