#!/usr/bin/env node
/* A stand-in for the npm registry, for the install check only: it serves the
 * packuments and tarballs of the packages packed into one folder (`yarn pack`),
 * so that an app installs them with a plain `yarn add <name>` as it would
 * after a release. It implements exactly what Yarn reads: GET /<name> (the
 * packument: versions, dist-tags, times, dist.tarball and integrity) and
 * GET /-/<file>.tgz; anything else is a 404, so every other package comes
 * from the real registry through Yarn's scope routing.
 * Usage: node registry.js <folder of .tgz> <port file>  (prints nothing; writes the port) */
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const [dir, portFile] = process.argv.slice(2);
const packuments = new Map();
const tarballs = new Map();

for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const full = path.join(dir, file);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', full, 'package/package.json'], { encoding: 'utf8' }),
  );
  const data = fs.readFileSync(full);
  tarballs.set(file, data);
  const version = {
    ...manifest,
    _id: `${manifest.name}@${manifest.version}`,
    dist: {
      tarball: `/-/${file}`,
      shasum: crypto.createHash('sha1').update(data).digest('hex'),
      integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
    },
  };
  const published = fs.statSync(full).mtime.toISOString();
  packuments.set(manifest.name, {
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: { [manifest.version]: version },
    time: { created: published, modified: published, [manifest.version]: published },
  });
}

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  const base = `http://${req.headers.host}`;
  if (url.startsWith('/-/') && tarballs.has(url.slice(3))) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(tarballs.get(url.slice(3)));
    return;
  }
  const packument = packuments.get(url.slice(1));
  if (!packument) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
    return;
  }
  const body = JSON.parse(JSON.stringify(packument));
  for (const v of Object.values(body.versions)) v.dist.tarball = base + v.dist.tarball;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
});
