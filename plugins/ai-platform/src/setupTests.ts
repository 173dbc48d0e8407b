import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A loaded CI machine (the whole suite runs on two cores, beside a portal)
// can take longer than Testing Library's default second to settle a page
// that lazy-loads its tabs; waiting longer changes no assertion.
configure({ asyncUtilTimeout: 5_000 });
