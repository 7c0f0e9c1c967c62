%s{a} é %f{x}
