// Validates Kubernetes manifests against the schemas of the maintained
// `kubernetes-models` packages. Those packages are ESM only, which Jest cannot
// load without --experimental-vm-modules, so the test runs this script with
// plain Node instead.
//
// stdin: { models: { "<apiVersion>/<kind>": { module, exportName } },
//          documents: [{ file, index, doc }] }
// stdout: [{ file, index, key, valid, error? }]

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const { models, documents } = await readStdin();
const results = [];
for (const { file, index, doc } of documents) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const model = models[key];
  if (!model) {
    results.push({
      file,
      index,
      key,
      valid: false,
      error: 'no model for this kind',
    });
    continue;
  }
  const module = await import(model.module);
  const Model = module[model.exportName];
  if (typeof Model !== 'function') {
    results.push({
      file,
      index,
      key,
      valid: false,
      error: `${model.module} exports no ${model.exportName}`,
    });
    continue;
  }
  try {
    new Model(doc).validate();
    results.push({ file, index, key, valid: true });
  } catch (error) {
    results.push({
      file,
      index,
      key,
      valid: false,
      error: String(error?.message ?? error),
    });
  }
}
process.stdout.write(JSON.stringify(results));
