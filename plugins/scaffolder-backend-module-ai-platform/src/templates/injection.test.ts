import yaml from 'yaml';
import {
  DryRunResponse,
  decodeFiles,
  startScaffolder,
} from './__testUtils__/dryRun';
import {
  llmServiceValues,
  ragPipelineValues,
  vllmValues,
} from './__testUtils__/sampleValues';

jest.setTimeout(300_000);

/**
 * Values that would change the structure of a file if a template pasted them
 * into YAML, JSON or code: a new document (a Location reading a server file),
 * YAML aliases, anchors, tags and flow mappings (a catalog placeholder),
 * quotes, backslashes, comments, line separators, template syntax.
 */
const INJECTIONS: Record<string, string> = {
  'a new Location document':
    'Answers\n---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: evil\nspec:\n  type: file\n  target: /etc/passwd\n',
  'an alias': '*alias',
  'an anchor and a tag': '&anchor !!binary x',
  'a placeholder': '{$text: /etc/passwd}',
  'a quote': '"',
  'a backslash': '\\',
  'quotes, escapes and a comment': `'" \\" \\n key: value # comment`,
  'Unicode line separators': 'a\u2028---\u2029b\u0085c',
  'template syntax': '${{ parameters.owner }} {{ 7 * 7 }} {% raw %}',
  'a code string terminator': "'; process.exit(1); '",
};

const BASELINE = 'The plain description';

/**
 * Fields only the form checks (with a pattern): without it, the value
 * reaches the files, where it must still be a scalar.
 */
const UNCHECKED_FIELDS: Record<string, string[]> = {
  'llm-service': ['namespace'],
  'model-server': ['model'],
  'rag-pipeline': ['namespace'],
};

/** Fields an action checks too (name: a DNS label; the self-hosted host). */
const CHECKED_FIELDS: Record<string, string[]> = {
  'llm-service': ['name'],
  'model-server': ['name', 'namespace', 'servedModelName'],
  'rag-pipeline': ['name'],
};

const TEMPLATES = [
  ['llm-service', llmServiceValues],
  ['model-server', vllmValues],
  ['rag-pipeline', ragPipelineValues],
] as const;

/** A file's content as data: YAML documents, JSON, or text. */
function parseFile(file: string, content: string): unknown {
  if (/\.ya?ml$/.test(file)) {
    const docs = yaml.parseAllDocuments(content);
    const errors = docs.flatMap(d => d.errors.map(e => e.message));
    if (errors.length) {
      throw new Error(`${file} does not parse: ${errors.join('; ')}`);
    }
    return docs.map(d => d.toJS());
  }
  if (file.endsWith('.json')) {
    return JSON.parse(content);
  }
  return content;
}

/** `data` with every occurrence of `from` in a string replaced by `to`. */
function replaceDeep(data: unknown, from: string, to: string): unknown {
  if (typeof data === 'string') return data.split(from).join(to);
  if (Array.isArray(data)) return data.map(d => replaceDeep(d, from, to));
  if (data && typeof data === 'object') {
    return Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, replaceDeep(v, from, to)]),
    );
  }
  return data;
}

/** Every string in `data` (keys and values), for finding a value. */
function strings(data: unknown): string[] {
  if (typeof data === 'string') return [data];
  if (Array.isArray(data)) return data.flatMap(strings);
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => [k, ...strings(v)]);
  }
  return [];
}

function parsedFiles(res: DryRunResponse): Map<string, unknown> {
  expect(res.body.error).toBeUndefined();
  expect(res.status).toBe(200);
  const parsed = new Map<string, unknown>();
  for (const [file, content] of decodeFiles(res.body)) {
    parsed.set(file, parseFile(file, content));
  }
  return parsed;
}

/**
 * Dry-runs `template` with `field` set to a plain value and to `value`, and
 * expects the same files with the same documents, `value` intact as one
 * scalar where the plain value was.
 */
async function expectWrittenAsScalar(
  scaffolder: Awaited<ReturnType<typeof startScaffolder>>,
  template: string,
  values: Record<string, unknown>,
  field: string,
  value: string,
  options: {
    plain?: string;
    editTemplate?: (t: Record<string, any>) => void;
  } = {},
) {
  // Between markers, so that text files are compared exactly too.
  const injected = `[[${value}]]`;
  const plain = options.plain ?? BASELINE;
  const baseline = parsedFiles(
    await scaffolder.dryRun(template, { ...values, [field]: plain }, options),
  );
  const files = parsedFiles(
    await scaffolder.dryRun(
      template,
      { ...values, [field]: injected },
      options,
    ),
  );
  expect([...files.keys()].sort()).toEqual([...baseline.keys()].sort());
  for (const [file, data] of files) {
    // The same documents, keys and values, the injected value aside.
    expect({ file, data: replaceDeep(data, injected, plain) }).toEqual({
      file,
      data: baseline.get(file),
    });
  }
  const catalogDocs = [
    ...((files.get('catalog-info.yaml') as any[]) ?? []),
    ...((files.get('ai-pipeline.yaml') as any[]) ?? []),
  ];
  expect(catalogDocs.map(doc => doc.kind)).not.toContain('Location');
  return { files, injected, catalogDocs };
}

/** A value for each field that is not free text: refused, naming the field. */
const NEW_DOCUMENT =
  '\n---\napiVersion: backstage.io/v1alpha1\nkind: Location\nspec: {type: file, target: /etc/passwd}';

type Refusal = {
  field: string;
  value: unknown;
  status: number;
  /** How the scaffolder names the field: a schema error or our message. */
  message: RegExp;
};

function refusals(values: Record<string, unknown>): Refusal[] {
  const ownerFields = Object.keys(values).filter(f => /owner$/i.test(f));
  const patternFields = [
    'name',
    'namespace',
    'model',
    'servedModelName',
  ].filter(f => f in values);
  return [
    ...ownerFields.flatMap(field =>
      [
        `${values[field]}${NEW_DOCUMENT}`,
        '*alias',
        '{$text: /etc/passwd}',
        'group:default/"',
        'group:default/\\',
        'group:default/nobody',
      ].map(value => ({
        field,
        value,
        status: 400,
        message: new RegExp(`^(Invalid|Unknown) ${field} `),
      })),
    ),
    ...ownerFields.map(field => ({
      field,
      value: { $text: '/etc/passwd' },
      status: 400,
      message: new RegExp(`instance\\.${field} is not of a type\\(s\\) string`),
    })),
    ...('system' in values
      ? [
          `${values.system}${NEW_DOCUMENT}`,
          'system:default/nope',
          '*alias',
        ].map(value => ({
          field: 'system',
          value,
          status: 400,
          message: /^(Invalid|Unknown) system /,
        }))
      : []),
    ...patternFields.map(field => ({
      field,
      value: `${values[field]}${NEW_DOCUMENT}`,
      status: 400,
      message: new RegExp(`instance\\.${field} does not match pattern`),
    })),
    ...['models', 'embeddingModel', 'generationModel']
      .filter(f => f in values)
      .map(field => ({
        field,
        value:
          field === 'models'
            ? [`gpt-4o-mini${NEW_DOCUMENT}`]
            : `gpt-4o-mini${NEW_DOCUMENT}`,
        status: 400,
        message: /^Model 'gpt-4o-mini\n---\n.*' is not allowed for /s,
      })),
    {
      field: 'description',
      value: { $text: '/etc/passwd' },
      status: 400,
      message: /instance\.description is not of a type\(s\) string/,
    },
  ];
}

describe.each(TEMPLATES)(
  'template %s with injected values (dry runs through the scaffolder)',
  (template, values) => {
    let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

    beforeAll(async () => {
      scaffolder = await startScaffolder();
    });

    afterAll(async () => {
      await scaffolder?.stop();
    });

    it.each(Object.entries(INJECTIONS))(
      'writes a description with %s as one scalar: every file parses to the same documents',
      async (_case, value) => {
        const { injected, catalogDocs } = await expectWrittenAsScalar(
          scaffolder,
          template,
          values,
          'description',
          value,
        );
        // ...and the value is there, intact, as one scalar of a catalog file.
        expect(strings(catalogDocs)).toContain(injected);
      },
    );

    /** The form patterns and lengths of `field` removed. */
    const withoutPattern = (field: string) => (t: Record<string, any>) => {
      for (const step of [t.spec.parameters].flat()) {
        delete step.properties?.[field]?.pattern;
        delete step.properties?.[field]?.maxLength;
      }
    };

    it.each(UNCHECKED_FIELDS[template].map(f => [f]))(
      'writes %s as a scalar even without the form pattern and length (an edited template in a dry run)',
      async field => {
        await expectWrittenAsScalar(
          scaffolder,
          template,
          values,
          field,
          INJECTIONS['a new Location document'],
          { plain: 'plain', editTemplate: withoutPattern(field) },
        );
      },
    );

    it.each(CHECKED_FIELDS[template].map(f => [f]))(
      'refuses %s in an action even without the form pattern and length',
      async field => {
        const res = await scaffolder.dryRun(
          template,
          { ...values, [field]: INJECTIONS['a new Location document'] },
          { editTemplate: withoutPattern(field) },
        );
        expect(res.status).toBe(400);
        expect(res.body.error?.message).toMatch(/^Invalid /);
        expect(res.body.directoryContents).toBeUndefined();
      },
    );

    // Fields that are not free text: refused, naming the field.
    it.each(refusals(values).map(r => [r.field, JSON.stringify(r.value), r]))(
      'refuses %s = %s, naming the field',
      async (_field, _value, { field, value, status, message }) => {
        const res = await scaffolder.dryRun(template, {
          ...values,
          [field]: value,
        });
        expect(res.status).toBe(status);
        // The scaffolder's schema errors, or the error of the failed step.
        const said = res.body.error
          ? res.body.error.message
          : ((res.body as any).errors ?? [])
              .map((e: { stack: string }) => e.stack)
              .join('\n');
        expect(said).toMatch(message);
        // Nothing was generated.
        expect(res.body.directoryContents).toBeUndefined();
      },
    );
  },
);
