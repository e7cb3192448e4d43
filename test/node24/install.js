// `npm run node24:install`
require('./interpreter').installNode24();
