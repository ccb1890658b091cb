// merganser-theta: the theta commands alone (core/theta, no LibTorch), for git to run on every add and
// checkout of a checkpoint. `merganser-cli theta install` points git at it when it sits beside merganser-cli.
#include <string>
#include <vector>

#include "theta/theta_command.h"

int main(int argc, char** argv) {
  return mg::cli::runTheta(std::vector<std::string>(argv + 1, argv + argc));
}
