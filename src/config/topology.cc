#include "config/topology.h"
