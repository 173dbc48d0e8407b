import { aiPlatformHaltEnforcersExtensionPoint } from './haltEnforcers';

describe('aiPlatformHaltEnforcersExtensionPoint', () => {
  it('is the extension point the backend registers', () => {
    expect(aiPlatformHaltEnforcersExtensionPoint.id).toBe(
      'ai-platform.halt-enforcers',
    );
  });
});
