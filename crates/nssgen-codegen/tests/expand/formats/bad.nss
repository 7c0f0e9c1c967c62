ok %s{a}
  b=%f{x}
% z
