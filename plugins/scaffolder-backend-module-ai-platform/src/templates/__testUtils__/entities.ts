import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { AIPipelineEntityProcessor } from '@aiplatform/plugin-catalog-backend-module-ai-platform';
import { ManifestDocument } from './manifests';

/**
 * The catalog's own envelope and metadata checks, as the catalog backend
 * applies them by default to every entity it reads.
 */
const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** The built-in kinds, as the catalog's BuiltinKindsEntityProcessor checks them. */
const builtinKindValidators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
];

const aiPipelineProcessor = new AIPipelineEntityProcessor();

/**
 * Validates an entity the way the catalog does: the entity policies, then
 * the kind (a built-in kind validator or the AIPipeline processor must accept
 * it). Returns the entity with defaults applied; throws with the reason.
 */
export async function validateCatalogEntity(
  document: ManifestDocument,
): Promise<Entity> {
  const where = `${document.file}#${document.index}`;
  let entity: Entity | undefined;
  try {
    entity = await entityPolicy.enforce(document.doc as Entity);
  } catch (error) {
    throw new Error(`${where}: entity policy: ${error}`);
  }
  if (!entity) {
    throw new Error(`${where}: rejected by the entity policies`);
  }
  try {
    if (await aiPipelineProcessor.validateEntityKind(entity)) {
      return entity;
    }
    for (const validator of builtinKindValidators) {
      if (await validator.check(entity)) {
        return entity;
      }
    }
  } catch (error) {
    throw new Error(`${where}: ${entity.kind} is invalid: ${error}`);
  }
  throw new Error(
    `${where}: no kind validator accepts ${entity.apiVersion} ${entity.kind}`,
  );
}
