import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** npm's own range arithmetic (semver, installed with npm's tooling here; not a dependency of the service). */
const semver = createRequire(path.join(ROOT, 'package.json'))('semver') as {
  subset(sub: string, dom: string): boolean;
  intersects(a: string, b: string): boolean;
  validRange(range: string): string | null;
};

/** Every installed package (node_modules and nested node_modules) with the Node versions it declares. */
function installedEngines(dir = path.join(ROOT, 'node_modules'), found: { name: string; node: string }[] = []) {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.startsWith('@')) {
      installedEngines(full, found);
      continue;
    }
    const manifest = path.join(full, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { engines?: { node?: unknown } };
      if (typeof pkg.engines?.node === 'string')
        found.push({ name: path.relative(ROOT, full), node: pkg.engines.node });
    }
    installedEngines(path.join(full, 'node_modules'), found);
  }
  return found;
}

const stated = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
  .engines.node;

describe('the Node version the service states (package.json engines)', () => {
  it('is one every installed package accepts, for the whole range', () => {
    expect(semver.validRange(stated)).not.toBeNull();
    const packages = installedEngines();
    // A clone has run `npm install` before its tests: hundreds of packages, many stating their Node.
    expect(packages.length).toBeGreaterThan(100);
    const refusing = packages.filter((p) => !semver.subset(stated, p.node)).map((p) => `${p.name}: ${p.node}`);
    expect(refusing).toEqual([]);
  });

  it('is the one the README and the Docker image state', () => {
    // The README's words, however they are wrapped.
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`(\`${stated}\` in \`package.json\`)`);
    const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(
      fs.readFileSync(path.join(ROOT, 'docker', 'Dockerfile'), 'utf8'),
    )?.[1];
    expect(image).toBeDefined();
    expect(semver.intersects(`${image}.x`, stated)).toBe(true);
  });
});
